package io.realtime.port.in;

import io.realtime.domain.ConnectionId;

/** The server API disconnects a connection with 4003. Thread-safe; never blocks. */
public interface KickConnectionUseCase {
  /** False when no such connection is open on this node. */
  boolean kick(ConnectionId id);
}
