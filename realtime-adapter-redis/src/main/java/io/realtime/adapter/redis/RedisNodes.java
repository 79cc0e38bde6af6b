package io.realtime.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Node heartbeats: every {@link RedisSettings#heartbeatInterval()} this node writes its figures
 * and its last-seen time (Redis clock); a node silent for {@link RedisSettings#nodeTtl()}
 * counts as dead and is forgotten by the next read. A closing node says goodbye at once.
 *
 * <p>Thread-safe; no method blocks; futures complete on a Netty thread.
 */
public final class RedisNodes {
  private final Commands redis;
  private final RedisKeys keys;
  private final RedisSettings settings;
  private final Supplier<NodeLoad> load;

  RedisNodes(Commands redis, RedisKeys keys, RedisSettings settings, Supplier<NodeLoad> load) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.load = load;
  }

  /** This node's figures, as its heartbeat carries them. */
  public record NodeLoad(int connections, int users, int topics) {
    public static final NodeLoad NONE = new NodeLoad(0, 0, 0);
  }

  /** One live node. */
  public record NodeInfo(String id, NodeLoad load, Instant lastSeen) {
    public NodeInfo {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(load, "load");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }
  }

  /**
   * The cluster's figures: sums over live nodes (a user connected to two nodes counts twice)
   * and the nodes themselves, ordered by id.
   */
  public record ClusterStats(int connections, int users, int topics, List<NodeInfo> nodes) {
    public ClusterStats {
      nodes = List.copyOf(nodes);
    }
  }

  /** Announces this node now (the engine's timer calls it every heartbeat interval). */
  public CompletableFuture<Void> heartbeat() {
    NodeLoad l = load.get();
    return redis.<Long>script(Scripts.HEARTBEAT, ScriptOutputType.INTEGER,
        new String[] {keys.nodes(), keys.nodeInfo()}, settings.nodeId(),
        l.connections() + " " + l.users() + " " + l.topics())
        .thenApply(x -> null);
  }

  /** Nodes whose last heartbeat is younger than the node TTL. */
  public CompletableFuture<List<NodeInfo>> live() {
    return redis.<List<Object>>script(Scripts.LIVE_NODES, ScriptOutputType.MULTI,
        new String[] {keys.nodes(), keys.nodeInfo()},
        String.valueOf(settings.nodeTtl().toMillis()))
        .thenApply(reply -> {
          List<NodeInfo> nodes = new ArrayList<>();
          for (int i = 0; i + 2 < reply.size(); i += 3) {
            String[] f = ((String) reply.get(i + 2)).split(" ");
            nodes.add(new NodeInfo((String) reply.get(i),
                new NodeLoad(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(f[2])),
                Instant.ofEpochMilli((Long) reply.get(i + 1))));
          }
          nodes.sort((a, b) -> a.id().compareTo(b.id()));
          return nodes;
        });
  }

  /** The cluster's figures over its live nodes. */
  public CompletableFuture<ClusterStats> stats() {
    return live().thenApply(nodes -> new ClusterStats(
        nodes.stream().mapToInt(n -> n.load().connections()).sum(),
        nodes.stream().mapToInt(n -> n.load().users()).sum(),
        nodes.stream().mapToInt(n -> n.load().topics()).sum(), nodes));
  }

  /** Leaves the list of live nodes at once. */
  CompletableFuture<Void> goodbye() {
    return redis.call(r -> r.zrem(keys.nodes(), settings.nodeId()).toCompletableFuture()
        .thenCompose(x -> r.hdel(keys.nodeInfo(), settings.nodeId()).toCompletableFuture())
        .thenApply(x -> null));
  }
}
