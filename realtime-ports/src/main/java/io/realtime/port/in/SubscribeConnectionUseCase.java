package io.realtime.port.in;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;

/**
 * The server API subscribes a connection to a topic, whatever its token allows (the backend
 * decides). Thread-safe; never blocks on one node (in
 * a cluster it waits for the shared store, at most 3 s).
 */
public interface SubscribeConnectionUseCase {
  /**
   * False when no such connection is open on this node and, in a cluster, the node its id
   * names is not listening either (otherwise the subscribe is passed to that node, which
   * ignores it if the connection has just left); true if subscribed (or already, or passed).
   */
  boolean subscribe(ConnectionId id, TopicName topic);
}
