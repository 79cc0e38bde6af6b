package io.realtime.adapter.web;

import java.time.Duration;

/**
 * A running realtime node on one transport: the WebSocket endpoint {@code /ws} and the HTTP
 * routes on one port. Jetty and Undertow each implement it over a {@link WebAdapter}.
 *
 * <p>Threading: lifecycle methods are called by one thread (the app's main or a test);
 * {@link #start()} and {@link #drainAndStop} block until done.
 */
public interface RealtimeServer extends AutoCloseable {
  /** Binds and starts serving; throws {@link IllegalStateException} if it cannot bind. */
  void start();

  /** The bound port (the chosen one when configured with 0); valid after {@link #start()}. */
  int port();

  /** The transport's name for logs and metrics, such as {@code jetty}. */
  String transport();

  /**
   * Graceful shutdown: refuses new upgrades, closes every connection with 1001 after its
   * queued frames, waits for the sockets up to {@code timeout}, then stops the server (any
   * socket still open is cut). True if every socket closed in time. Later calls do nothing.
   */
  boolean drainAndStop(Duration timeout);

  /** {@link #drainAndStop} with the configured drain timeout. */
  @Override
  void close();
}
