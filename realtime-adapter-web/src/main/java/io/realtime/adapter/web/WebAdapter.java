package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.in.RealtimeSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
  private volatile boolean draining;

  private WebAdapter(Builder b) {
    this.settings = b.settings;
    this.core = b.core;
    this.handshake = new HandshakePolicy(b.settings, b.core.authenticate(), b.core.stats(),
        b.core.drain());
    this.http = new HttpApi(b.settings, b.core, b.metrics, b.devTokens, b.clock);
    this.probe = new HandshakeProbe(handshake);
    if (settings.devMode()) {
      log.warn("dev.mode_enabled demoPage=/ tokenEndpoint=/dev/token apiAcceptsAnyValidToken=true"
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
   * {@code accepted}; the transport feeds the returned bridge until the socket closes.
   */
  public WebSocketBridge connect(HandshakeDecision.Accept accepted, FrameSink sink) {
    openSockets.incrementAndGet();
    return new WebSocketBridge(core.openConnection(), accepted, sink, settings.sendQueue(),
        this::socketEnded);
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

    /** For the idempotency window; the system UTC clock by default. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    public WebAdapter build() {
      return new WebAdapter(this);
    }
  }
}
