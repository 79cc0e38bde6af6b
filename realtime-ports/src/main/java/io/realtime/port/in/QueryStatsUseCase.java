package io.realtime.port.in;

import io.realtime.domain.UserId;

/** Counts of this node's state, for the API, caps and metrics. Thread-safe; O(1). */
public interface QueryStatsUseCase {
  Stats stats();

  /** How many connections {@code user} holds on this node (for the per-user cap). */
  int connectionsOf(UserId user);

  /** Open connections, distinct users, and topics with at least one subscriber. */
  record Stats(int connections, int users, int topics) {}
}
