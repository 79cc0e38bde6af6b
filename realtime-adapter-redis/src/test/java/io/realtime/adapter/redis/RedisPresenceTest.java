package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cluster-wide presence with expiry, on a real Redis. */
class RedisPresenceTest {
  private static final TopicName ROOM = new TopicName("room");
  private static final UserId ALICE = new UserId("alice");
  private static final UserId BOB = new UserId("bob");
  private static final UserId CAROL = new UserId("carol");
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

  @Test
  void joinAndLeaveSayWhetherTheUserBecamePresentOrLeftAcrossNodes() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RedisEngine b = nodes.start("b", new RecordingListener());
    assertTrue(join(a.presence().join(ROOM, ALICE, new ConnectionId("a-1"))));
    assertFalse(join(b.presence().join(ROOM, ALICE, new ConnectionId("b-1"))),
        "alice was present already, through node a");
    assertFalse(join(a.presence().join(ROOM, ALICE, new ConnectionId("a-1"))), "again: no-op");
    assertTrue(join(b.presence().join(ROOM, BOB, new ConnectionId("b-2"))));
    assertEquals(Set.of(ALICE, BOB), join(a.presence().users(ROOM)));
    assertEquals(Set.of(ALICE, BOB), join(b.presence().users(ROOM)));

    assertFalse(join(a.presence().leave(ROOM, ALICE, new ConnectionId("a-1"))),
        "alice is still there on node b");
    assertEquals(Set.of(ALICE, BOB), join(a.presence().users(ROOM)));
    assertTrue(join(b.presence().leave(ROOM, ALICE, new ConnectionId("b-1"))));
    assertFalse(join(b.presence().leave(ROOM, ALICE, new ConnectionId("b-1"))), "twice: no-op");
    assertEquals(Set.of(BOB), join(a.presence().users(ROOM)));
    assertEquals(Set.of(), join(a.presence().users(new TopicName("empty"))));
  }

  @Test
  void refreshedEntriesOutliveTheirTtl() {
    RedisEngine a = nodes.start("a", new RecordingListener()); // TTL 1 s, refresh 250 ms
    join(a.presence().join(ROOM, ALICE, new ConnectionId("a-1")));
    long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
    while (System.nanoTime() < until) { // checked all along, well past the TTL
      assertEquals(Set.of(ALICE), join(a.presence().users(ROOM)));
      Eventually.pace(Duration.ofMillis(100));
    }
  }

  @Test
  void aRedisThatRestartedEmptyGetsThisNodesEntriesBackAtTheNextRefresh() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    join(a.presence().join(ROOM, ALICE, new ConnectionId("a-1")));
    nodes.server.kill();
    nodes.server.restart();
    Eventually.await(Duration.ofSeconds(10), () -> a.health().up(), () -> "up again");
    Eventually.await(Duration.ofSeconds(5),
        () -> join(a.presence().users(ROOM)).equals(Set.of(ALICE)), () -> "alice back");
  }

  /**
   * Each change of who is present reaches the nodes listening to the topic, in order, with the
   * node that made it; an expiry with none; and the topic's positions are left alone.
   */
  @Test
  void changesArePublishedOnTheTopicsChannelOncePerUser() {
    RecordingListener heard = new RecordingListener();
    RedisEngine a = nodes.start("a", heard);
    RedisEngine b = nodes.start("b", new RecordingListener());
    RedisEngine c = nodes.start("c", new RecordingListener());
    join(a.subscriptions().subscribe(ROOM));
    join(b.presence().join(ROOM, ALICE, new ConnectionId("b-1")));
    join(c.presence().join(ROOM, ALICE, new ConnectionId("c-1"))); // present already
    join(b.presence().leave(ROOM, ALICE, new ConnectionId("b-1"))); // still on c
    join(c.presence().join(ROOM, BOB, new ConnectionId("c-2")));
    join(c.presence().leave(ROOM, ALICE, new ConnectionId("c-1")));
    Eventually.await(Duration.ofSeconds(5), () -> heard.presence.size() >= 3,
        () -> "heard " + heard.presence);
    assertEquals(List.of("room +alice@b", "room +bob@c", "room -alice@c"), heard.presence);

    join(a.presence().join(ROOM, CAROL, new ConnectionId("a-1"))); // a's refresh sweeps ROOM
    c.close(); // bob's entry stays behind, as after a crash, until a sweep finds it expired
    Eventually.await(Duration.ofSeconds(5), () -> heard.presence.size() >= 5,
        () -> "heard " + heard.presence);
    assertEquals(List.of("room +carol@a", "room -bob@"), heard.presence.subList(3, 5));
    assertEquals(0, a.subscriptions().stats().historyLost(), "no position was disturbed");
  }

  /** Node b dies without a goodbye (its timer stops, nothing leaves): its users go. */
  @Test
  void theUsersOfADeadNodeLeaveAfterTheTtl() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    List<String> expired = new CopyOnWriteArrayList<>();
    a.presence().onExpired((topic, users) -> users.forEach(u -> expired.add(topic + "/" + u)));
    RedisEngine b = nodes.start("b", new RecordingListener());
    join(a.presence().join(ROOM, ALICE, new ConnectionId("a-1")));
    join(b.presence().join(ROOM, BOB, new ConnectionId("b-1")));
    assertEquals(Set.of(ALICE, BOB), join(a.presence().users(ROOM)));
    long died = System.nanoTime();
    b.close(); // stops refreshing; presence entries stay behind as after a crash
    Eventually.await(Duration.ofSeconds(5), () -> expired.contains("room/bob"),
        () -> "a's refresh sweep reports bob as gone");
    System.out.println("presence.expired ms="
        + Duration.ofNanos(System.nanoTime() - died).toMillis());
    assertEquals(Set.of(ALICE), join(a.presence().users(ROOM)));
  }
}
