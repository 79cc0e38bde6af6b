package io.realtime.adapter.web;

import io.realtime.port.out.Transport;

/**
 * A realtime node on one transport: the WebSocket endpoint {@code /ws} and the HTTP routes on
 * one port. Jetty and Undertow each implement it over a {@link WebAdapter}.
 *
 * <p>Threading: lifecycle methods are called by one thread (the app's main or a test);
 * {@link #start()} and {@link #drainAndStop} block until done.
 */
public interface RealtimeServer extends Transport.Server, AutoCloseable {
  /** The transport's name for logs and metrics, such as {@code jetty}. */
  String transport();

  /** {@link #drainAndStop} with the configured drain timeout. */
  @Override
  void close();
}
