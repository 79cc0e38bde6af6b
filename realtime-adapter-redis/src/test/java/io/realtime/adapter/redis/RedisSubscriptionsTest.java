package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static io.realtime.adapter.redis.RedisTestNodes.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channels per target, subscribe confirmation, gap filling and the probe, on a real Redis. */
class RedisSubscriptionsTest {
  private static final TopicName FEED = new TopicName("feed");
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

  private static Envelope post(String topic, int n) {
    return message(Target.topic(topic), "{\"n\":" + n + "}");
  }

  @Test
  void aMessagePublishedOnAnotherNodeAfterTheSubscribeCompletesIsReceived() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) { // fresh topics: each subscribe is a new SUBSCRIBE round trip
      TopicName topic = new TopicName("room-" + i);
      join(b.subscriptions().subscribe(topic));
      expected.add(join(a.streams().publish(post(topic.value(), i))).id());
    }
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() >= expected.size(),
        () -> "received " + heard.topic.size() + " of " + expected.size());
    // one message per topic, and topics are delivered in parallel: compare as sets
    assertEquals(new HashSet<>(expected),
        new HashSet<>(heard.topic.stream().map(Envelope::id).toList()));
    assertEquals(expected.size(), heard.topic.size());
  }

  @Test
  void theChannelIsSubscribedWhileAnyLocalSubscriberRemains() throws Exception {
    RedisEngine b = nodes.start("b", new RecordingListener());
    String channel = "realtime:topic:feed";
    join(b.subscriptions().subscribe(FEED));
    join(b.subscriptions().subscribe(FEED));
    assertEquals("realtime:topic:feed\n1", nodes.server.command("PUBSUB", "NUMSUB", channel));
    join(b.subscriptions().unsubscribe(FEED));
    assertTrue(b.subscriptions().subscribed(FEED));
    assertEquals("realtime:topic:feed\n1", nodes.server.command("PUBSUB", "NUMSUB", channel));
    join(b.subscriptions().unsubscribe(FEED));
    assertFalse(b.subscriptions().subscribed(FEED));
    assertEquals("realtime:topic:feed\n0", nodes.server.command("PUBSUB", "NUMSUB", channel));
  }

  /** What was published while nobody here listened is no gap to fill on resubscribing. */
  @Test
  void resubscribingStartsFromTheNextMessageWithoutRefillingTheUnheardOnes() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard);
    join(b.subscriptions().subscribe(FEED));
    join(a.streams().publish(post("feed", 1)));
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() == 1, () -> "first");
    join(b.subscriptions().unsubscribe(FEED));
    join(a.streams().publish(post("feed", 2)));
    join(a.streams().publish(post("feed", 3)));
    join(b.subscriptions().subscribe(FEED));
    join(a.streams().publish(post("feed", 4)));
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() == 2, () -> "fourth");
    assertEquals(List.of(1L, 4L), heard.offsets(FEED));
    assertEquals(0, b.subscriptions().stats().refilled());
    join(b.subscriptions().unsubscribe(FEED));
    Eventually.await(Duration.ofSeconds(5), () -> b.subscriptions().trackedTopicsForTest() == 0,
        () -> "an unsubscribed topic leaves nothing behind");
    assertEquals(List.of(), heard.lost);
  }

  @Test
  void sharedMessagesAndNodeCommandsReachTheirNodes() {
    RecordingListener heardA = new RecordingListener();
    RecordingListener heardB = new RecordingListener();
    RedisEngine a = nodes.start("a", heardA);
    RedisEngine b = nodes.start("b", heardB);
    Envelope broadcast = join(a.publish(message(Target.broadcast(), "{\"all\":true}")));
    Envelope user = join(a.publish(message(Target.user("alice"), "{\"u\":1}")));
    Envelope role = join(a.publish(message(Target.role("admin"), "{\"r\":1}")));
    Envelope toConnection = message(Target.connection("b-42"), "{\"c\":1}");
    assertTrue(join(a.sendToNode("b", new NodeCommand.Deliver(toConnection))));
    assertTrue(join(a.sendToNode("b", new NodeCommand.Kick(new ConnectionId("b-42"), 1))));
    assertTrue(join(a.sendToNode("b",
        new NodeCommand.Subscribe(new ConnectionId("b-42"), FEED, 2))));
    assertFalse(join(a.sendToNode("nobody", new NodeCommand.Kick(new ConnectionId("x"), 3))),
        "no node listens on that channel");

    Eventually.await(Duration.ofSeconds(5), () -> heardB.shared.size() == 3
        && heardB.commands.size() == 3, () -> "b heard " + heardB.shared + heardB.commands);
    assertEquals(List.of(broadcast, user, role), heardB.shared);
    assertEquals(List.of("a", "a", "a"), heardB.sharedOrigins);
    assertEquals(List.of(new NodeCommand.Deliver(toConnection),
        new NodeCommand.Kick(new ConnectionId("b-42"), 1),
        new NodeCommand.Subscribe(new ConnectionId("b-42"), FEED, 2)), heardB.commands);
    Eventually.await(Duration.ofSeconds(5), () -> heardA.shared.size() == 3,
        () -> "the publisher hears its own shared messages, marked as its own");
    assertEquals(List.of("a", "a", "a"), heardA.sharedOrigins);
    assertEquals(List.of(), heardA.commands);
  }

  /**
   * The subscription of node b is killed by Redis twice while node a keeps publishing: what b
   * missed comes from the stream, so b's subscriber sees every message once and in order.
   */
  @Test
  void aKilledSubscriptionIsRefilledFromTheStreamEveryMessageOnceInOrder() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard);
    join(b.subscriptions().subscribe(FEED));
    int total = 1500;
    List<Long> published = new ArrayList<>();
    for (int n = 1; n <= total; n++) {
      Envelope sent = join(a.streams().publish(post("feed", n)));
      published.add(StreamPosition.parse(sent.id()).orElseThrow().offset());
      if (n == 300 || n == 900) { // b may still be reconnecting from the first kill: wait for it
        Eventually.await(Duration.ofSeconds(10),
            () -> killPubSub() >= 1,
            () -> "no pub/sub connection to kill");
      }
    }
    List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
    assertEquals(all, published);
    Eventually.await(Duration.ofSeconds(10), () -> heard.topic.size() >= total,
        () -> "b received " + heard.topic.size() + " of " + total);
    assertEquals(all, heard.offsets(FEED));
    assertEquals(total, new HashSet<>(heard.ids(FEED)).size());
    assertEquals(List.of(), heard.lost);
    assertTrue(b.subscriptions().stats().refilled() > 0, "the gap was filled from the stream");
  }

  /**
   * Messages dropped on the way in (a dispatch queue of 2 behind a slow listener) leave gaps
   * that the next delivered message fills from the stream before it goes on.
   */
  @Test
  void messagesDroppedOnTheWayInAreRefilledBeforeTheNextOne() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener recording = new RecordingListener();
    RedisListener slow = new RedisListener() {
      @Override
      public void topicMessage(Envelope message, String originNode) {
        long until = System.nanoTime() + 100_000; // 0.1 ms per message
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        recording.topicMessage(message, originNode);
      }

      @Override
      public void sharedMessage(Envelope message, String originNode) {}

      @Override
      public void nodeCommand(NodeCommand command, String originNode) {}

      @Override
      public void historyLost(TopicName topic, io.realtime.domain.StreamPosition last) {
        recording.historyLost(topic, last);
      }

      @Override
      public void presenceChanged(TopicName topic, io.realtime.domain.UserId user,
          boolean joined, String originNode) {}
    };
    RedisEngine b = nodes.start("b", slow, s -> s.dispatch(2, 2));
    join(b.subscriptions().subscribe(FEED));
    List<java.util.concurrent.CompletableFuture<Envelope>> sent = new ArrayList<>();
    for (int n = 1; n <= 1000; n++) {
      sent.add(a.streams().publish(post("feed", n)));
    }
    sent.forEach(Eventually::join);
    long total = 1000;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (recording.topic.size() < total && System.nanoTime() < deadline) {
      // a dropped tail is only noticed when a later message arrives: keep one coming
      join(a.streams().publish(post("feed", 0)));
      total++;
      Eventually.pace(Duration.ofMillis(100));
    }
    assertTrue(b.subscriptions().stats().dropped() > 0, "the test must drop messages");
    List<Long> got = recording.offsets(FEED);
    assertEquals(LongStream.rangeClosed(1, got.size()).boxed().toList(), got,
        "every message once, in order");
    assertTrue(got.size() >= 1000, "received " + got.size());
    assertTrue(b.subscriptions().stats().refilled() > 0);
    assertEquals(List.of(), recording.lost);
  }

  /** No new message arrives after the resubscription: the catch-up alone fills the gap. */
  @Test
  void afterAReconnectATopicCatchesUpEvenWithoutANewMessage() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard,
        s -> s.reconnectDelay(Duration.ofMillis(1500), Duration.ofMillis(1800)));
    join(b.subscriptions().subscribe(FEED));
    for (int n = 1; n <= 3; n++) {
      join(a.streams().publish(post("feed", n)));
    }
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() == 3, () -> "first three");
    nodes.server.command("CLIENT", "KILL", "TYPE", "pubsub");
    for (int n = 4; n <= 6; n++) { // b reconnects after 1.5 s at the earliest
      join(a.streams().publish(post("feed", n)));
    }
    Eventually.await(Duration.ofSeconds(10), () -> heard.topic.size() >= 6,
        () -> "b received " + heard.offsets(FEED));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), heard.offsets(FEED));
    assertEquals(3, b.subscriptions().stats().refilled());
    assertEquals(0, b.subscriptions().stats().restarts(), "Lettuce resubscribed by itself");
  }

  @Test
  void whereTheStreamNoLongerReachesBackTheLossIsReported() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        s -> s.history(5, Duration.ofMinutes(5)));
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard, s -> s.history(5, Duration.ofMinutes(5))
        .reconnectDelay(Duration.ofMillis(1500), Duration.ofMillis(1800)));
    join(b.subscriptions().subscribe(FEED));
    join(a.streams().publish(post("feed", 1)));
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() == 1, () -> "first");
    nodes.server.command("CLIENT", "KILL", "TYPE", "pubsub");
    for (int n = 2; n <= 20; n++) {
      join(a.streams().publish(post("feed", n)));
    }
    Eventually.await(Duration.ofSeconds(10), () -> heard.lost.contains(FEED),
        () -> "loss reported; b received " + heard.offsets(FEED));
    Eventually.await(Duration.ofSeconds(5), () -> heard.topic.size() >= 6,
        () -> "b received " + heard.offsets(FEED));
    assertEquals(List.of(1L, 16L, 17L, 18L, 19L, 20L), heard.offsets(FEED),
        "what the stream still held is delivered, in order");
  }

  /** Redis forgets the probe channel without closing the connection: the node notices. */
  @Test
  void aSubscriptionThatStopsDeliveringIsRestarted() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RecordingListener heard = new RecordingListener();
    RedisEngine b = nodes.start("b", heard);
    join(b.subscriptions().subscribe(FEED));
    Eventually.await(Duration.ofSeconds(5), () -> b.subscriptions().stats().probesReturned() > 0,
        () -> "probes come back");
    b.loseProbeSubscriptionForTest();
    Eventually.await(Duration.ofSeconds(5), () -> b.subscriptions().stats().restarts() == 1,
        () -> "restarted after the probe timeout");
    Eventually.await(Duration.ofSeconds(5), () -> b.health().up(), () -> "up again");
    long returned = b.subscriptions().stats().probesReturned();
    Eventually.await(Duration.ofSeconds(5),
        () -> b.subscriptions().stats().probesReturned() > returned, () -> "probes again");
    Envelope after = join(a.streams().publish(post("feed", 1)));
    Eventually.await(Duration.ofSeconds(5), () -> heard.ids(FEED).contains(after.id()),
        () -> "topics resubscribed on the new connection");
  }

  private long killPubSub() {
    try {
      return Long.parseLong(nodes.server.command("CLIENT", "KILL", "TYPE", "pubsub"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
