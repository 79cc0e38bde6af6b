package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static io.realtime.adapter.redis.RedisTestNodes.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Positions assigned by the publish script, and replay with {@code since}, on a real Redis. */
class RedisTopicStreamsTest {
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

  private static Envelope post(int n) {
    return message(Target.topic("feed"), "{\"n\":" + n + "}");
  }

  @Test
  void threeConcurrentPublishersGetIncreasingPositionsReceivedInIdOrderEverywhere()
      throws Exception {
    List<RecordingListener> listeners = List.of(new RecordingListener(), new RecordingListener(),
        new RecordingListener());
    List<RedisEngine> engines = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RedisEngine e = nodes.start("node-" + i, listeners.get(i));
      join(e.subscriptions().subscribe(FEED));
      engines.add(e);
    }
    int perNode = 300;
    List<List<Long>> published = List.of(new CopyOnWriteArrayList<>(),
        new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(3);
    List<Future<?>> publishers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int node = i;
      publishers.add(threads.submit(() -> {
        List<CompletableFuture<Envelope>> all = new ArrayList<>();
        for (int n = 0; n < perNode; n++) {
          all.add(engines.get(node).streams().publish(post(n)));
        }
        all.forEach(f -> published.get(node).add(StreamPosition.parse(join(f).id()).orElseThrow().offset()));
      }));
    }
    for (Future<?> f : publishers) {
      f.get(20, TimeUnit.SECONDS); // a publisher's failure fails the test
    }
    threads.shutdown();
    List<Long> all = LongStream.rangeClosed(1, 3L * perNode).boxed().toList();
    for (int i = 0; i < 3; i++) {
      List<Long> mine = published.get(i);
      assertEquals(perNode, mine.size());
      for (int k = 1; k < mine.size(); k++) {
        assertTrue(mine.get(k) > mine.get(k - 1), "one publisher's positions increase");
      }
    }
    for (RecordingListener l : listeners) {
      Eventually.await(Duration.ofSeconds(10), () -> l.topic.size() >= all.size(),
          () -> "received " + l.topic.size());
      assertEquals(all, l.offsets(FEED), "every node receives every position once, in order");
    }
    assertEquals(listeners.get(0).ids(FEED), listeners.get(1).ids(FEED));
    assertEquals(listeners.get(0).ids(FEED), listeners.get(2).ids(FEED));
  }

  @Test
  void payloadAndFieldsSurviveTheRoundTrip() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    String payload = "{\"text\":\"h\u00e9llo \ud83d\ude00 \\n 3:4\",\"list\":[1, 2 ,3]}";
    Envelope sent = message(Target.topic("feed"), payload);
    Envelope stored = join(a.streams().publish(sent));
    TopicReplay replay = join(a.streams().since(FEED, StreamPosition.start(
        StreamPosition.parse(stored.id()).orElseThrow().epoch())));
    assertEquals(List.of(stored), replay.messages());
    assertEquals(payload, replay.messages().get(0).payload().text());
    assertEquals(sent.timestamp(), replay.messages().get(0).timestamp());
  }

  @Test
  void aFlushedScriptCacheIsRefilledByEval() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener());
    join(a.streams().publish(post(1)));
    assertEquals("OK", nodes.server.command("SCRIPT", "FLUSH"));
    assertEquals(2, StreamPosition.parse(join(a.streams().publish(post(2))).id()).orElseThrow().offset());
    assertEquals("1", nodes.server.command("SCRIPT", "EXISTS", Scripts.PUBLISH.sha));
  }

  @Test
  void sinceReplaysWhatCameAfterAndSaysRecovered() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    List<Envelope> sent = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      sent.add(join(a.streams().publish(post(n))));
    }
    TopicReplay replay = join(a.streams().since(FEED, StreamPosition.parse(sent.get(1).id()).orElseThrow()));
    assertTrue(replay.recovered());
    assertEquals(sent.subList(2, 5), replay.messages());
    assertEquals(StreamPosition.parse(sent.get(4).id()).orElseThrow(), replay.head());

    TopicReplay atHead = join(a.streams().since(FEED, sent.get(4).id()));
    assertTrue(atHead.recovered());
    assertEquals(List.of(), atHead.messages());
  }

  @Test
  void trimmedHistoryReplaysWhatItHasAndSaysNotRecovered() {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        b -> b.history(3, Duration.ofMinutes(5)));
    List<Envelope> sent = new ArrayList<>();
    for (int n = 1; n <= 6; n++) {
      sent.add(join(a.streams().publish(post(n))));
    }
    TopicReplay fromFirst = join(a.streams().since(FEED, sent.get(0).id()));
    assertFalse(fromFirst.recovered(), "2 and 3 were trimmed");
    assertEquals(sent.subList(3, 6), fromFirst.messages());

    TopicReplay fromThird = join(a.streams().since(FEED, sent.get(2).id()));
    assertTrue(fromThird.recovered(), "everything after 3 is still there");
    assertEquals(sent.subList(3, 6), fromThird.messages());
  }

  @Test
  void positionAheadOfTheHeadOrFromAnotherEpochIsNotRecovered() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    Envelope only = join(a.streams().publish(post(1)));
    StreamPosition p = StreamPosition.parse(only.id()).orElseThrow();

    TopicReplay ahead = join(a.streams().since(FEED, new StreamPosition(9, p.epoch())));
    assertFalse(ahead.recovered());
    assertEquals(List.of(), ahead.messages());

    TopicReplay other = join(a.streams().since(FEED, new StreamPosition(1, "otherepoch")));
    assertFalse(other.recovered());
    assertEquals(List.of(only), other.messages(), "another epoch replays everything retained");

    TopicReplay junk = join(a.streams().since(FEED, "not-a-position-at-all"));
    assertFalse(junk.recovered());
  }

  @Test
  void redisRestartedEmptyStartsANewEpochAndOldPositionsAreNotRecovered() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    Envelope before = join(a.streams().publish(post(1)));
    nodes.server.kill();
    nodes.server.restart();
    Eventually.await(Duration.ofSeconds(10), () -> a.health().up(), () -> "health up again");
    Envelope after = join(a.streams().publish(post(2)));
    StreamPosition old = StreamPosition.parse(before.id()).orElseThrow();
    StreamPosition now = StreamPosition.parse(after.id()).orElseThrow();
    assertNotEquals(old.epoch(), now.epoch());
    assertEquals(1, now.offset());
    TopicReplay replay = join(a.streams().since(FEED, old));
    assertFalse(replay.recovered());
    assertEquals(List.of(after), replay.messages());
  }

  /**
   * Ages are cut on read too, not only by the next publish or the stream's expiry: message 2
   * keeps the stream alive while message 1 ages out.
   */
  @Test
  void messagesOlderThanTheHistoryAgeAreNotReplayed() {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        b -> b.history(100, Duration.ofSeconds(2)).historyMetaTtl(Duration.ofMinutes(5)));
    Envelope first = join(a.streams().publish(post(1)));
    StreamPosition start = StreamPosition.start(StreamPosition.parse(first.id()).orElseThrow().epoch());
    Eventually.await(Duration.ofSeconds(5), () -> age(first).toMillis() >= 1200, () -> "1.2 s");
    Envelope second = join(a.streams().publish(post(2)));
    assertEquals(List.of(first, second), join(a.streams().since(FEED, start)).messages());
    Eventually.await(Duration.ofSeconds(5),
        () -> join(a.streams().since(FEED, start)).messages().equals(List.of(second)),
        () -> "message 1 aged out while 2 is still there");
    TopicReplay replay = join(a.streams().since(FEED, start));
    assertFalse(replay.recovered(), "1 aged out");
    TopicReplay fromFirst = join(a.streams().since(FEED, first.id()));
    assertTrue(fromFirst.recovered(), "nothing after 1 is lost");
    assertEquals(List.of(second), fromFirst.messages());

    Eventually.await(Duration.ofSeconds(5),
        () -> join(a.streams().since(FEED, start)).messages().isEmpty(), () -> "2 aged out");
    Envelope third = join(a.streams().publish(post(3)));
    assertEquals(List.of(third), join(a.streams().since(FEED, start)).messages());
    TopicReplay fromSecond = join(a.streams().since(FEED, second.id()));
    assertTrue(fromSecond.recovered(), "the epoch outlives the messages: nothing after 2 is lost");
    assertEquals(List.of(third), fromSecond.messages());
  }

  private static Duration age(Envelope e) {
    return Duration.between(e.timestamp(), java.time.Instant.now());
  }

  @Test
  void historySizeZeroKeepsNothingButStillAssignsPositions() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        b -> b.history(0, Duration.ofMinutes(5)));
    Envelope one = join(a.streams().publish(post(1)));
    Envelope two = join(a.streams().publish(post(2)));
    assertEquals(1, StreamPosition.parse(one.id()).orElseThrow().offset());
    assertEquals(2, StreamPosition.parse(two.id()).orElseThrow().offset());
    assertEquals("0", nodes.server.command("EXISTS", "realtime:stream:feed"));
    TopicReplay fromOne = join(a.streams().since(FEED, one.id()));
    assertFalse(fromOne.recovered());
    assertEquals(List.of(), fromOne.messages());
    assertTrue(join(a.streams().since(FEED, two.id())).recovered());
  }
}
