package io.realtime.port.in;

import io.realtime.domain.ConnectionId;

/** The server API disconnects a connection with 4003. Thread-safe; never blocks on
 * one node (in a cluster it waits for the shared store, at most 3 s). */
public interface KickConnectionUseCase {
  /**
   * False when no such connection is open on this node and, in a cluster, the node its id
   * names is not listening either (otherwise the kick is passed to that node, which ignores
   * it if the connection has just left).
   */
  boolean kick(ConnectionId id);
}
