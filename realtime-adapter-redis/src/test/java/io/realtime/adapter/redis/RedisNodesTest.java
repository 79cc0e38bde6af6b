package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.realtime.adapter.redis.RedisNodes.ClusterStats;
import io.realtime.adapter.redis.RedisNodes.NodeInfo;
import io.realtime.adapter.redis.RedisNodes.NodeLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node heartbeats and cluster stats, on a real Redis. */
class RedisNodesTest {
  private RedisTestNodes nodes;

  @BeforeEach
  void start() {
    nodes = new RedisTestNodes(RedisServer.start());
  }

  @AfterEach
  void stop() {
    if (nodes != null) { // null when the test was skipped: no redis-server
      nodes.close();
    }
  }

  private RedisEngine node(String id, NodeLoad load) {
    RedisEngine e = new RedisEngine(nodes.settings(id).build(), new RecordingListener(),
        () -> load);
    Eventually.join(e.start());
    return e;
  }

  @Test
  void liveNodesAndTheirFiguresAddUpToTheClusterStats() {
    AtomicInteger connections = new AtomicInteger(3);
    RedisEngine a = new RedisEngine(nodes.settings("a").build(), new RecordingListener(),
        () -> new NodeLoad(connections.get(), 2, 1));
    join(a.start());
    try (RedisEngine b = node("b", new NodeLoad(5, 4, 2))) {
      Eventually.await(Duration.ofSeconds(5), () -> join(a.nodes().live()).size() == 2,
          () -> "both nodes announced");
      ClusterStats stats = join(a.nodes().stats());
      assertEquals(8, stats.connections());
      assertEquals(6, stats.users());
      assertEquals(3, stats.topics());
      assertEquals(List.of("a", "b"), stats.nodes().stream().map(NodeInfo::id).toList());
      assertEquals(new NodeLoad(5, 4, 2), stats.nodes().get(1).load());

      connections.set(7);
      Eventually.await(Duration.ofSeconds(5), () -> join(b.nodes().stats()).connections() == 12,
          () -> "the next heartbeat carries a's new figure");
    } finally {
      a.close();
    }
  }

  @Test
  void aClosingNodeLeavesAtOnceAndASilentOneAfterTheNodeTtl() throws Exception {
    RedisEngine a = node("a", new NodeLoad(1, 1, 1));
    RedisEngine b = node("b", new NodeLoad(1, 1, 1));
    Eventually.await(Duration.ofSeconds(5), () -> join(a.nodes().live()).size() == 2, () -> "2");
    b.close();
    assertEquals(List.of("a"), join(a.nodes().live()).stream().map(NodeInfo::id).toList(),
        "goodbye");

    // a node that died without goodbye: its last heartbeat, then silence (TTL 1 s here)
    nodes.server.command("HSET", "realtime:node-info", "ghost", "9 9 9");
    nodes.server.command("ZADD", "realtime:nodes",
        String.valueOf(System.currentTimeMillis()), "ghost");
    assertEquals(List.of("a", "ghost"),
        join(a.nodes().live()).stream().map(NodeInfo::id).toList());
    Eventually.await(Duration.ofSeconds(5),
        () -> join(a.nodes().live()).stream().map(NodeInfo::id).toList().equals(List.of("a")),
        () -> "the ghost is dead after the node TTL");
    assertEquals("0", nodes.server.command("HEXISTS", "realtime:node-info", "ghost"));
    a.close();
  }
}
