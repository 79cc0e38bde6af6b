package io.realtime.port.out;

import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import java.time.Duration;

/**
 * The network side a node runs on: it supplies the codec for its frames and a server that
 * drives the node's use cases. The node facade starts the server and stops it first on close.
 * The web adapter implements it over Jetty or Undertow.
 */
public interface Transport {
  /** The frame codec, with the limits of {@code settings} (the frame size bounds strings). */
  FrameCodec codec(RealtimeSettings settings);

  /** A server over {@code useCases}, configured from {@code settings}; not started yet. */
  Server server(RealtimeSettings settings, RealtimeUseCases useCases);

  /** A bound server. Lifecycle methods are called by one thread and block until done. */
  interface Server {
    /** Binds and starts serving; throws {@link IllegalStateException} if it cannot bind. */
    void start();

    /** The bound port (the chosen one when configured with 0); valid after {@link #start}. */
    int port();

    /**
     * Refuses new connections, closes every open one with 1001 after its queued frames, waits
     * up to {@code timeout}, then stops. True if every connection closed in time; later calls
     * do nothing.
     */
    boolean drainAndStop(Duration timeout);
  }
}
