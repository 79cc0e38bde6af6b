package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every {@link RealtimeServer} keeps, written once: it starts at most once, a
 * start that fails names host and port, it stops at most once, and only a server that served
 * drains. A transport holds one and lends it its own steps: how to stop its server quietly and
 * how to wait for the HTTP requests in flight.
 *
 * <pre>{@code
 * lifecycle = new ServerLifecycle("jetty", web, this::requestsFinished, this::stopQuietly);
 * public void start() { lifecycle.start(server::start, this::port); }
 * public boolean drainAndStop(Duration timeout) { return lifecycle.drainAndStop(timeout); }
 * }</pre>
 *
 * <p>Threading: as {@link RealtimeServer}, lifecycle methods are for one thread and block until
 * done; a second call of either, from any thread, does nothing more.
 */
public final class ServerLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

  private final String transport;
  private final WebAdapter web;
  private final Predicate<Duration> requestsFinished;
  private final Runnable stop;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile boolean serving;

  /** A transport's own start: binds and serves, or throws. */
  @FunctionalInterface
  public interface Start {
    void run() throws Exception;
  }

  /**
   * @param transport the transport's name for the log lines, such as {@code jetty}
   * @param requestsFinished stops taking HTTP requests and waits up to the given time for those
   *     in flight; false if some were still running
   * @param stop stops the transport's server, cutting any socket still open; never throws, and
   *     does no harm on a server that never started or failed to
   */
  public ServerLifecycle(String transport, WebAdapter web, Predicate<Duration> requestsFinished,
      Runnable stop) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.web = Objects.requireNonNull(web, "web");
    this.requestsFinished = Objects.requireNonNull(requestsFinished, "requestsFinished");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /**
   * Runs {@code start} once and logs {@code transport.started} with the bound {@code port}; a
   * second call is misuse. If {@code start} throws, the server is stopped and an
   * {@link IllegalStateException} names the configured host and port.
   */
  public void start(Start start, IntSupplier port) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    RealtimeSettings settings = web.settings();
    try {
      start.run();
    } catch (Exception e) {
      stop.run();
      throw new IllegalStateException("cannot start " + transport + " on " + settings.host()
          + ":" + settings.port() + ": " + rootCause(e), e);
    }
    serving = true;
    log.info("transport.started transport={} host={} port={}", transport, settings.host(),
        port.getAsInt());
  }

  /**
   * {@link RealtimeServer#drainAndStop}: {@link WebAdapter#drain}, wait for the sockets up to
   * {@code timeout}, then for the HTTP requests in flight with what is left of it, then stop,
   * logging {@code transport.draining} and {@code transport.stopped}. A server that never
   * served is only stopped (nothing to drain, and the core is left alone). True if every
   * socket and request finished in time; later calls do nothing and answer true.
   */
  public boolean drainAndStop(Duration timeout) {
    if (!stopped.compareAndSet(false, true)) {
      return true;
    }
    if (!serving) {
      stop.run();
      web.stopped();
      return true;
    }
    log.info("transport.draining transport={} connections={} timeoutMs={}",
        transport, web.openSockets(), timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos();
    web.drain();
    boolean clean = web.awaitSocketsClosed(timeout);
    clean &= requestsFinished.test(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    stop.run();
    web.stopped();
    log.info("transport.stopped transport={} clean={}", transport, clean);
    return clean;
  }

  /** What went wrong below the wrappers, such as the {@code BindException} of a taken port. */
  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    for (int i = 0; i < 16 && cause.getCause() != null && cause.getCause() != cause; i++) {
      cause = cause.getCause();
    }
    return cause;
  }
}
