package io.realtime.port.in;

import io.realtime.domain.UserId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** Counts of this node's state, for caps and metrics (O(1)), and of the cluster, for the API. */
public interface QueryStatsUseCase {
  /** This node's figures. Thread-safe; O(1). */
  Stats stats();

  /** How many connections {@code user} holds on this node (for the per-user cap). */
  int connectionsOf(UserId user);

  /**
   * What the server API shows: on a single node its own figures and no nodes (completed at
   * once); in a cluster the sums over its live nodes and each node, ordered by id, this node's
   * entry live. Fails within 2 seconds when the cluster's store is out of reach.
   */
  CompletionStage<Overview> overview();

  /** Open connections, distinct users, and topics with at least one subscriber. */
  record Stats(int connections, int users, int topics) {}

  /** One node's figures. */
  record NodeStats(String id, Stats stats) {
    public NodeStats {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(stats, "stats");
    }
  }

  /**
   * @param total this node's figures, or in a cluster each figure summed over the nodes
   * @param nodes empty on a single node
   */
  record Overview(Stats total, List<NodeStats> nodes) {
    public Overview {
      Objects.requireNonNull(total, "total");
      nodes = List.copyOf(nodes);
    }
  }
}
