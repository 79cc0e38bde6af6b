package io.realtime.port.out;

import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RouteKind;

/**
 * What the core reports for logs and metrics; the core itself neither logs nor meters.
 *
 * <p>Thread-safe; called on hot paths, so implementations must be cheap and never block.
 * Every method defaults to doing nothing.
 */
public interface RealtimeEvents {
  RealtimeEvents NONE = new RealtimeEvents() {};

  /** A connection was accepted and welcomed. */
  default void connectionOpened(Connection connection) {}

  /** A connection ended, for {@code reason}. */
  default void connectionClosed(Connection connection, CloseReason reason) {}

  /** A message was delivered (offered) to {@code recipients} connections of this node. */
  default void messageDelivered(RouteKind route, int recipients) {}

  /** A frame to {@code connection} was dropped, for {@code reason} ({@code slow_consumer}...). */
  default void messageDropped(Connection connection, DropReason reason) {}

  /** A client request was answered with an {@code error}. */
  default void requestRejected(Connection connection, ErrorCode code) {}

  /** A token was refused at a handshake or refresh. */
  default void authFailed(AuthFailure reason) {}

  /** A token was refreshed on an open connection. */
  default void tokenRefreshed(Connection connection) {}

  /** Why a frame was dropped: the {@code reason} of {@code realtime_messages_dropped_total}. */
  enum DropReason {
    /** The connection's outbound queue was full. */
    SLOW_CONSUMER("slow_consumer"),
    /** The connection was closing. */
    CLOSED("closed");

    private final String tag;

    DropReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }
}
