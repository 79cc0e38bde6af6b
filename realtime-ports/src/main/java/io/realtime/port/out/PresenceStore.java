package io.realtime.port.out;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.Set;

/**
 * Which users are present on which topics: a user is present while at least one of their
 * connections is subscribed. Thread-safe.
 */
public interface PresenceStore {
  /** Records the connection; true if this made the user newly present. */
  boolean join(TopicName topic, UserId user, ConnectionId connection);

  /** Forgets the connection; true if this was the user's last one on the topic. */
  boolean leave(TopicName topic, UserId user, ConnectionId connection);

  /** The users present on the topic. */
  Set<UserId> users(TopicName topic);
}
