package io.realtime.port.in;

import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Who is on a topic: users with at least one subscribed connection, on any node of a cluster.
 * Thread-safe; completes at once on a single node, and fails within 2 seconds when a cluster's
 * store is out of reach.
 */
public interface QueryPresenceUseCase {
  CompletionStage<Set<UserId>> presence(TopicName topic);
}
