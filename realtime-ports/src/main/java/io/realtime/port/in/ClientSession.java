package io.realtime.port.in;

import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;

/**
 * Inbound half of one accepted connection: the transport feeds it what the client sends.
 *
 * <p>Threading: the transport calls {@link #receiveText} and {@link #receiveBinary} one at a
 * time per connection (as WebSocket reads are); any method may be called from any thread.
 * No method blocks or throws.
 */
public interface ClientSession {
  ConnectionId id();

  /** The connection as it stands now (refreshes replace it). */
  Connection connection();

  /** One complete text frame from the client. */
  void receiveText(String frame);

  /** One complete binary frame: answered with an {@code error}, the protocol is text only. */
  void receiveBinary();

  /** A sign of life that is not a frame, such as a pong: resets the heartbeat clock. */
  void activity();

  /**
   * The socket is gone (closed by either side, or failed), for {@code reason}: the transport's
   * own closes (a frame over the limit, a broken socket) say so, anything else is
   * {@link CloseReason#CLIENT}. A close the core started keeps its own reason. Later calls do
   * nothing.
   */
  void closed(CloseReason reason);

  /** The client closed or went away. */
  default void closed() {
    closed(CloseReason.CLIENT);
  }
}
