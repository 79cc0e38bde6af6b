package io.realtime.port.in;

/** Graceful shutdown of the connections. Thread-safe; never blocks. */
public interface DrainConnectionsUseCase {
  /**
   * From now on new connections are refused; every open one is closed with 1001 after the
   * frames already queued for it. Later calls do nothing.
   */
  void drain();

  boolean draining();
}
