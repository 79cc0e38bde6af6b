package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a transport needs from the web side, in one object: the handshake decision,
 * the HTTP routes, and the per-socket bridge to the core. A transport holds one, maps its
 * upgrade requests to {@link #handshake}, its plain requests to {@link #handle}, each opened
 * socket to {@link #connect}, and its shutdown to {@link #drain} and {@link #awaitSocketsClosed}
 * (through a {@link ServerLifecycle}).
 *
 * <pre>{@code
 * WebAdapter web = WebAdapter.builder(settings, core)   // the core's use cases
 *     .metrics(registry::scrape)
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #handshake} and {@link #handle} may block briefly (token key fetches),
 * so transports call them on worker threads; {@link #connect} and the bridge never block.
 */
public final class WebAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebAdapter.class);

  private final RealtimeSettings settings;
  private final RealtimeUseCases core;
  private final HandshakePolicy handshake;
  private final HttpApi http;
  private final HandshakeProbe probe;
  private final AtomicInteger openSockets = new AtomicInteger();
  private final Linger linger = new Linger(Linger.QUIET, Linger.MAX);
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  private volatile boolean draining;

  private WebAdapter(Builder b) {
    this.settings = b.settings;
    this.core = b.core;
    this.handshake = new HandshakePolicy(b.settings, b.core.authenticate(), b.core.drain(),
        b.ticker);
    this.http = new HttpApi(b.settings, b.core, b.metrics, b.devTokens,
        b.idempotency != null ? b.idempotency : new InMemoryIdempotencyStore(b.clock));
    this.probe = new HandshakeProbe(handshake);
    if (settings.devMode()) {
      log.warn("dev.mode_enabled demoPage=/ tokenEndpoint=/dev/token apiNeeds=realtime:admin"
          + " warning=\"anyone who reaches this server can mint tokens: never expose dev mode\"");
    }
  }

  public static Builder builder(RealtimeSettings settings, RealtimeUseCases core) {
    return new Builder(settings, core);
  }

  public RealtimeSettings settings() {
    return settings;
  }

  /** Decides an upgrade request; see {@link HandshakePolicy}. Never throws. */
  public HandshakeDecision handshake(HandshakeRequest request) {
    return handshake.decide(request);
  }

  /**
   * Answers a plain HTTP request; see {@link HttpApi}, and {@link HandshakeProbe} for a plain
   * {@code GET /ws} with a token. Never throws.
   */
  public HttpResponse handle(HttpRequest request) {
    return probe.refusal(request).orElseGet(() -> http.handle(request));
  }

  /**
   * Opens the core connection for a socket the transport has just upgraded after
   * {@code accepted}; the transport feeds the returned bridge until the socket closes. The
   * accept's place under the caps is held until then, and released when the bridge ends.
   */
  public WebSocketBridge connect(HandshakeDecision.Accept accepted, FrameSink sink) {
    Reservation place = accepted.reservation();
    if (!place.claim()) { // lapsed or abandoned before the socket opened: take a place again
      place = handshake.budget().reserveAnyway(accepted.principal().user());
    }
    Reservation held = place;
    openSockets.incrementAndGet();
    try {
      return new WebSocketBridge(core.openConnection(), accepted, sink, settings.sendQueue(),
          linger, () -> {
            held.release();
            socketEnded();
          });
    } catch (RuntimeException e) { // the bridge itself failed: nothing will end it
      held.release();
      socketEnded();
      throw e;
    }
  }

  /**
   * The upgrade after {@code accepted} failed before {@link #connect} (the socket closed
   * early, the transport's handshake failed, a callback threw): releases its place under the
   * caps. Harmless after {@code connect} or when called twice.
   */
  public void abandon(HandshakeDecision.Accept accepted) {
    accepted.reservation().lapse();
  }

  /** Connections reserved or open on this node, by the handshake's count. */
  public int reservedConnections() {
    return handshake.budget().total();
  }

  /**
   * Starts a graceful shutdown: new upgrades are refused (503 {@code shutting_down}) and every
   * open connection is closed with 1001 after its queued frames. Later calls do nothing more.
   */
  public void drain() {
    draining = true;
    core.drain().drain();
    if (openSockets.get() == 0) {
      allClosed.complete(null);
    }
  }

  /** Waits until every socket has closed after {@link #drain}; false if {@code timeout} passed. */
  public boolean awaitSocketsClosed(Duration timeout) {
    try {
      allClosed.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the adapter's timer (lingering closes); the transport has cut every socket. */
  void stopped() {
    linger.shutdown();
  }

  /** Sockets between {@link #connect} and their close. */
  public int openSockets() {
    return openSockets.get();
  }

  private void socketEnded() {
    if (openSockets.decrementAndGet() == 0 && draining) {
      allClosed.complete(null);
    }
  }

  /** Assembles a {@link WebAdapter}; only settings and use cases are required. */
  public static final class Builder {
    private final RealtimeSettings settings;
    private final RealtimeUseCases core;
    private Supplier<String> metrics = () -> "";
    private DevTokenMinter devTokens;
    private Clock clock = Clock.systemUTC();
    private IdempotencyStore idempotency; // in memory over `clock` unless set
    private LongSupplier ticker = System::nanoTime;

    private Builder(RealtimeSettings settings, RealtimeUseCases core) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.core = Objects.requireNonNull(core, "core");
    }

    /** Prometheus text served at {@code /metrics}; empty by default. Called per scrape. */
    public Builder metrics(Supplier<String> value) {
      metrics = Objects.requireNonNull(value);
      return this;
    }

    /** The dev-mode token minter; required when {@code settings.devMode()}, unused otherwise. */
    public Builder devTokens(DevTokenMinter value) {
      devTokens = Objects.requireNonNull(value);
      return this;
    }

    /** For the in-memory idempotency window; the system UTC clock by default. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Where the API keeps first answers by {@code Idempotency-Key}; by default an
     * {@link InMemoryIdempotencyStore} on {@link #clock}, right for a single node. A cluster
     * passes the store its nodes share.
     */
    public Builder idempotency(IdempotencyStore value) {
      idempotency = Objects.requireNonNull(value);
      return this;
    }

    /** Monotonic nanoseconds for the upgrade rate; {@link System#nanoTime} by default. */
    public Builder ticker(LongSupplier value) {
      ticker = Objects.requireNonNull(value);
      return this;
    }

    public WebAdapter build() {
      return new WebAdapter(this);
    }
  }
}
