package io.realtime.port.out;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Which users are present on which topics: a user is present while at least one of their
 * connections is subscribed. The embedded store answers with completed stages; a cluster's
 * ({@link ClusterBus#presence()}) answers when the shared store did, and fails when it is out of
 * reach (within 2 seconds).
 *
 * <p>Thread-safe; no method blocks.
 */
public interface PresenceStore {
  /** Records the connection; true if this made the user newly present. */
  CompletionStage<Boolean> join(TopicName topic, UserId user, ConnectionId connection);

  /** Forgets the connection; true if this was the user's last one on the topic. */
  CompletionStage<Boolean> leave(TopicName topic, UserId user, ConnectionId connection);

  /** The users present on the topic. */
  CompletionStage<Set<UserId>> users(TopicName topic);
}
