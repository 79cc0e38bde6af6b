package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static io.realtime.adapter.redis.RedisTestNodes.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.Envelope;
import io.realtime.domain.Target;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis killed for a few seconds, then back (empty): fail fast, go down, recover alone. */
class RedisOutageTest {
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

  /** How long a future takes to fail, or an assertion error if it succeeds. */
  private static long millisToFail(CompletableFuture<?> f) throws Exception {
    long start = System.nanoTime();
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertInstanceOf(RedisUnavailableException.class, e.getCause());
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
    throw new AssertionError("succeeded while Redis was down");
  }

  /**
   * A publish Redis has received but not run (writes paused) when its connection drops is
   * never sent again after the reconnect: its caller was told it failed, so it must not be
   * applied behind their back.
   */
  @Test
  void aPublishInFlightWhenTheConnectionDropsIsNeverSentAgain() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener());
    List<Boolean> changes = new CopyOnWriteArrayList<>();
    a.health().addListener(changes::add);
    assertEquals(1, StreamPosition.parse(join(a.streams().publish(post(1))).id()).orElseThrow().offset());
    nodes.server.command("CLIENT", "PAUSE", "2500", "WRITE");
    CompletableFuture<Envelope> inFlight = a.streams().publish(post(2));
    Eventually.await(Duration.ofSeconds(2), () -> blockedClients() >= 1,
        () -> "the publish waits inside Redis");
    nodes.server.command("CLIENT", "KILL", "TYPE", "normal"); // a's command connection
    assertTrue(millisToFail(inFlight) < 2000);
    Eventually.await(Duration.ofSeconds(10), () -> changes.contains(false) && a.health().up(),
        () -> "down, then reconnected: " + changes);
    assertEquals("OK", nodes.server.command("CLIENT", "UNPAUSE"));
    Envelope next = join(a.streams().publish(post(3)));
    assertEquals(2, StreamPosition.parse(next.id()).orElseThrow().offset(), "the killed publish never ran");
    assertEquals("2", nodes.server.command("XLEN", "realtime:stream:feed"));
  }

  private int blockedClients() {
    try {
      String info = nodes.server.command("INFO", "clients");
      int at = info.indexOf("blocked_clients:");
      return Integer.parseInt(info.substring(at + 16, info.indexOf('\r', at)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNodeStartedWhileRedisIsDownComesUpWhenRedisDoes() {
    nodes.server.kill();
    RecordingListener heard = new RecordingListener();
    RedisEngine b = new RedisEngine(nodes.settings("b").build(), heard,
        () -> RedisNodes.NodeLoad.NONE);
    try {
      CompletableFuture<Void> started = b.start();
      Eventually.await(Duration.ofSeconds(1), () -> !started.isDone() && !b.health().up(),
          () -> "waiting for Redis");
      nodes.server.restart();
      join(started);
      Eventually.await(Duration.ofSeconds(10), () -> b.health().up(), () -> "up");
      join(b.subscriptions().subscribe(FEED));
      RedisEngine a = nodes.start("a", new RecordingListener());
      Envelope m = join(a.streams().publish(post(1)));
      Eventually.await(Duration.ofSeconds(5), () -> heard.ids(FEED).equals(List.of(m.id())),
          () -> "received " + heard.ids(FEED));
    } finally {
      b.close();
    }
  }

  @Test
  void whileRedisIsDownCommandsFailFastHealthIsDownAndItRecoversAlone() throws Exception {
    RecordingListener heardA = new RecordingListener();
    RecordingListener heardB = new RecordingListener();
    RedisEngine a = nodes.start("a", heardA);
    RedisEngine b = nodes.start("b", heardB);
    List<Boolean> changes = new CopyOnWriteArrayList<>();
    b.health().addListener(changes::add);
    join(b.subscriptions().subscribe(FEED));
    for (int n = 1; n <= 20; n++) {
      join(a.streams().publish(post(n)));
    }
    Eventually.await(Duration.ofSeconds(5), () -> heardB.topic.size() == 20, () -> "before");
    assertTrue(a.health().up() && b.health().up());

    nodes.server.kill();
    Eventually.await(Duration.ofSeconds(2), () -> !a.health().up() && !b.health().up(),
        () -> "health down within 2 s");
    Eventually.await(Duration.ofSeconds(2), () -> changes.contains(false), () -> "told");
    long publish = millisToFail(a.streams().publish(post(21)));
    long shared = millisToFail(a.publish(message(Target.broadcast(), "{}")));
    long since = millisToFail(a.streams().since(FEED, "1-x"));
    long presence = millisToFail(a.presence().users(FEED));
    long subscribe = millisToFail(b.subscriptions().subscribe(new TopicName("other")));
    for (long ms : new long[] {publish, shared, since, presence, subscribe}) {
      assertTrue(ms < 2000, "failed after " + ms + " ms");
    }
    // a few seconds down, commands keep failing fast all along
    long downSince = System.nanoTime();
    while (System.nanoTime() - downSince < TimeUnit.SECONDS.toNanos(3)) {
      assertTrue(millisToFail(a.streams().publish(post(0))) < 2000);
      Eventually.pace(Duration.ofMillis(200));
    }

    nodes.server.restart();
    long back = System.nanoTime();
    Eventually.await(Duration.ofSeconds(10), () -> a.health().up() && b.health().up(),
        () -> "both nodes up within 10 s of Redis returning");
    long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
    System.out.println("outage.recovered ms=" + recoveredMs);
    Eventually.await(Duration.ofSeconds(2), () -> changes.contains(true), () -> "told");

    Envelope after = join(a.streams().publish(post(22)));
    assertEquals(1, StreamPosition.parse(after.id()).orElseThrow().offset(), "Redis came back empty: new epoch");
    Eventually.await(Duration.ofSeconds(5), () -> heardB.ids(FEED).contains(after.id()),
        () -> "b resubscribed by itself: " + heardB.ids(FEED));
    List<String> ids = heardB.ids(FEED);
    assertEquals(ids.size(), new HashSet<>(ids).size(), "no id twice: " + ids);
    assertEquals(21, ids.size(), "nothing published while down reached anybody");
    assertTrue(heardB.lost.contains(FEED), "the stream was reset under b's subscribers");
    assertFalse(join(a.streams().since(FEED, heardB.ids(FEED).get(19))).recovered());
  }
}
