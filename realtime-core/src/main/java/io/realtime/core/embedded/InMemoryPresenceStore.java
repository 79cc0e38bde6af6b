package io.realtime.core.embedded;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.out.PresenceStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded presence: this node's subscribers. Each topic's inner maps are touched only
 * inside {@link ConcurrentHashMap#compute}, which serializes work per topic. Every answer is a
 * completed stage, so the core's continuations run at once on the calling thread (join and
 * leave allocate no stage: the two answers are shared, and a minimal stage cannot be completed
 * by anyone else).
 */
public final class InMemoryPresenceStore implements PresenceStore {
  private static final CompletionStage<Boolean> YES = CompletableFuture.completedStage(true);
  private static final CompletionStage<Boolean> NO = CompletableFuture.completedStage(false);

  private final Map<TopicName, Map<UserId, Set<ConnectionId>>> topics = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Boolean> join(TopicName topic, UserId user, ConnectionId connection) {
    boolean[] joined = new boolean[1];
    topics.compute(topic, (t, users) -> {
      Map<UserId, Set<ConnectionId>> u = users == null ? new HashMap<>() : users;
      Set<ConnectionId> connections = u.computeIfAbsent(user, k -> new HashSet<>());
      joined[0] = connections.isEmpty();
      connections.add(connection);
      return u;
    });
    return joined[0] ? YES : NO;
  }

  @Override
  public CompletionStage<Boolean> leave(TopicName topic, UserId user, ConnectionId connection) {
    boolean[] left = new boolean[1];
    topics.computeIfPresent(topic, (t, users) -> {
      Set<ConnectionId> connections = users.get(user);
      if (connections != null && connections.remove(connection) && connections.isEmpty()) {
        users.remove(user);
        left[0] = true;
      }
      return users.isEmpty() ? null : users;
    });
    return left[0] ? YES : NO;
  }

  @Override
  public CompletionStage<Set<UserId>> users(TopicName topic) {
    @SuppressWarnings("unchecked")
    Set<UserId>[] out = new Set[] {Set.of()};
    topics.computeIfPresent(topic, (t, users) -> {
      out[0] = Set.copyOf(users.keySet());
      return users;
    });
    return CompletableFuture.completedStage(out[0]);
  }
}
