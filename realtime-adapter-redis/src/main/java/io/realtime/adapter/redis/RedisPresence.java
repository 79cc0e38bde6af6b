package io.realtime.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide presence with expiry. Per topic a hash (connection to node and user), a sorted
 * set (connection to expiry time, Redis clock) and a count of connections per user; every
 * script first sweeps expired connections, so the users of a node that died without goodbye
 * leave at the first sweep after {@link RedisSettings#presenceTtl()}. This node refreshes its
 * own entries every {@link RedisSettings#presenceRefresh()} (re-adding any that expired while
 * it was cut off), and each refresh sweeps its topics. Each change of who is present is
 * published on the topic's channel by the script that made it ({@link PresenceChange}), so the
 * nodes listening to the topic hear it in the order Redis applied it.
 *
 * <p>Thread-safe; no method blocks; futures fail with {@link RedisUnavailableException} when
 * Redis is out of reach, and complete on a Netty thread. Users who left by expiry are reported
 * to the {@linkplain #onExpired listener} (from the sweeps of this node's scripts).
 */
public final class RedisPresence {
  private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

  private final Commands redis;
  private final RedisKeys keys;
  private final RedisSettings settings;
  /** This node's entries, refreshed periodically: topic to connection to user. */
  private final Map<TopicName, Map<ConnectionId, UserId>> local = new ConcurrentHashMap<>();
  private volatile BiConsumer<TopicName, Set<UserId>> expired = (t, u) -> {};

  RedisPresence(Commands redis, RedisKeys keys, RedisSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
  }

  /** Tells {@code listener} of users whose last connection on a topic expired. */
  public void onExpired(BiConsumer<TopicName, Set<UserId>> listener) {
    expired = listener;
  }

  /**
   * Records the connection; true if this made the user newly present on the topic. The entry
   * is this node's from now on: should Redis be out of reach (the future fails), the first
   * refresh after it returns adds it; {@link #leave} forgets it either way.
   */
  public CompletableFuture<Boolean> join(TopicName topic, UserId user, ConnectionId connection) {
    local.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(connection, user);
    return redis.<List<Object>>script(Scripts.PRESENCE_JOIN, ScriptOutputType.MULTI, keys(topic),
        connection.value(), settings.nodeId(), user.value(), ttl())
        .thenApply(reply -> {
          report(topic, reply.subList(1, reply.size()), user);
          return ((Long) reply.get(0)) == 1L;
        });
  }

  /**
   * Forgets the connection; true if it was the user's last one on the topic (a user whose last
   * connection expired in the same script is announced as expired, not here).
   */
  public CompletableFuture<Boolean> leave(TopicName topic, UserId user, ConnectionId connection) {
    local.computeIfPresent(topic, (t, conns) -> {
      conns.remove(connection);
      return conns.isEmpty() ? null : conns;
    });
    return redis.<List<Object>>script(Scripts.PRESENCE_LEAVE, ScriptOutputType.MULTI,
        keys(topic), connection.value(), ttl(), settings.nodeId())
        .thenApply(reply -> {
          report(topic, reply.subList(1, reply.size()), null);
          return user.value().equals(reply.get(0));
        });
  }

  /** The users present on the topic, on any node. */
  public CompletableFuture<Set<UserId>> users(TopicName topic) {
    return redis.<List<Object>>script(Scripts.PRESENCE_USERS, ScriptOutputType.MULTI,
        keys(topic))
        .thenApply(reply -> {
          report(topic, list(reply.get(0)), null);
          Set<UserId> users = new LinkedHashSet<>();
          for (Object u : list(reply.get(1))) {
            users.add(new UserId((String) u));
          }
          return Set.copyOf(users);
        });
  }

  /** Extends this node's entries and sweeps its topics; run by the engine's timer. */
  CompletableFuture<Void> refresh() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Map.Entry<TopicName, Map<ConnectionId, UserId>> e : local.entrySet()) {
      TopicName topic = e.getKey();
      List<String> args = new ArrayList<>();
      args.add(settings.nodeId());
      args.add(ttl());
      e.getValue().forEach((c, u) -> {
        args.add(c.value());
        args.add(u.value());
      });
      all.add(redis.<List<Object>>script(Scripts.PRESENCE_REFRESH, ScriptOutputType.MULTI,
          keys(topic), args.toArray(new String[0]))
          .thenAccept(reply -> report(topic, list(reply.get(1)), null)));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  /** Topics this node holds presence on. */
  public int localTopics() {
    return local.size();
  }

  private void report(TopicName topic, List<Object> swept, UserId except) {
    Set<UserId> left = new LinkedHashSet<>();
    for (Object u : swept) {
      if (except == null || !except.value().equals(u)) {
        left.add(new UserId((String) u));
      }
    }
    if (!left.isEmpty()) {
      try {
        expired.accept(topic, Set.copyOf(left));
      } catch (RuntimeException e) {
        log.error("redis.presence.listener_failed topic={}", topic, e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private String[] keys(TopicName topic) {
    return new String[] {keys.presence(topic), keys.presenceExpiry(topic),
        keys.presenceUsers(topic), keys.topicChannel(topic)};
  }

  private String ttl() {
    return String.valueOf(settings.presenceTtl().toMillis());
  }
}
