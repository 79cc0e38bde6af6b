package io.realtime.core;

import io.realtime.port.out.IdGenerator;
import java.util.Optional;

/**
 * Connection ids in a cluster: {@code <nodeId>.<random>}, so any node can tell which node holds
 * a connection. The random part never contains a dot (node ids may).
 */
final class ConnectionIds {
  private ConnectionIds() {}

  /** Ids that name {@code nodeId} as their node. */
  static IdGenerator onNode(String nodeId, IdGenerator random) {
    return () -> nodeId + "." + random.next().replace('.', '_');
  }

  /** The node an id names; empty for an id of no node (a single node's ids). */
  static Optional<String> node(String connectionId) {
    int dot = connectionId.lastIndexOf('.');
    return dot <= 0 ? Optional.empty() : Optional.of(connectionId.substring(0, dot));
  }
}
