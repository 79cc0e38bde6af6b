package io.realtime.port.out;

import io.realtime.domain.CloseCode;

/** Outbound half of one client connection. Thread-safe; no method blocks. */
public interface ClientChannel {
  /**
   * Queues an encoded frame for writing, in offer order; false if the queue is full or the
   * channel is closing. The caller decides what a refusal means (a full queue: slow consumer).
   */
  boolean offer(EncodedFrame frame);

  /**
   * Starts the close handshake with {@code code}; when {@link CloseCode#flushesQueue()}, the
   * frames already queued are written first. Later calls do nothing.
   */
  void close(CloseCode code, String reason);

  /** Sends a transport-level ping (the heartbeat); does nothing once closing. */
  void ping();

  /** False once the channel is closing or closed. */
  boolean isOpen();
}
