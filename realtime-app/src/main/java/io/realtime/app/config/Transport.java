package io.realtime.app.config;

/** The WebSocket and HTTP server a node runs on. */
public enum Transport {
  /** Jetty 12 (the default). */
  JETTY,
  /** Undertow 2.3. */
  UNDERTOW
}
