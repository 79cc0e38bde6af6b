package io.realtime.port.in;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;

/**
 * The server API subscribes a connection to a topic, whatever its token allows (the backend
 * decides). Thread-safe; never blocks.
 */
public interface SubscribeConnectionUseCase {
  /** False when no such connection is open on this node; true if subscribed (or already). */
  boolean subscribe(ConnectionId id, TopicName topic);
}
