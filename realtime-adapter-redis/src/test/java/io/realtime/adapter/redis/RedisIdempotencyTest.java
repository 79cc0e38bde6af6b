package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key across nodes, on a real Redis. */
class RedisIdempotencyTest {
  private static final String BODY = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"n\"}";
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
  void aRetryOnAnotherNodeGetsTheFirstAnswerAndAnotherBodyIsAConflict() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    RedisEngine b = nodes.start("b", new RecordingListener());
    String hash = RedisIdempotency.hash(BODY);
    var claim = assertInstanceOf(IdempotencyClaim.Acquired.class,
        join(a.idempotency().claim("key-1", hash)));
    assertInstanceOf(IdempotencyClaim.InProgress.class, join(b.idempotency().claim("key-1", hash)),
        "the first request is still publishing");
    assertTrue(join(a.idempotency().complete(claim, "{\"id\":\"m1\",\"recipients\":3}")));
    assertEquals(new IdempotencyClaim.Replayed("{\"id\":\"m1\",\"recipients\":3}"),
        join(b.idempotency().claim("key-1", hash)));
    assertEquals(new IdempotencyClaim.Conflict(),
        join(b.idempotency().claim("key-1", RedisIdempotency.hash(BODY + " "))));
    assertInstanceOf(IdempotencyClaim.Acquired.class, join(b.idempotency().claim("key-2", hash)),
        "keys are independent");
  }

  @Test
  void aReleasedClaimLetsARetryPublish() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    String hash = RedisIdempotency.hash(BODY);
    var claim = assertInstanceOf(IdempotencyClaim.Acquired.class,
        join(a.idempotency().claim("k", hash)));
    assertTrue(join(a.idempotency().release(claim)));
    var again = assertInstanceOf(IdempotencyClaim.Acquired.class,
        join(a.idempotency().claim("k", hash)));
    assertEquals(false, join(a.idempotency().complete(claim, "stale")), "an old claim is void");
    assertTrue(join(a.idempotency().complete(again, "fresh")));
  }

  @Test
  void theAnswerIsKeptForTheTtlThenForgotten() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        s -> s.idempotencyTtl(Duration.ofMillis(500)));
    String hash = RedisIdempotency.hash(BODY);
    var claim = assertInstanceOf(IdempotencyClaim.Acquired.class,
        join(a.idempotency().claim("k", hash)));
    join(a.idempotency().complete(claim, "first"));
    long pttl = Long.parseLong(nodes.server.command("PTTL", "realtime:idem:"
        + RedisKeys.sha256("k")));
    assertTrue(pttl > 0 && pttl <= 500, "expires: " + pttl);
    Eventually.await(Duration.ofSeconds(5), () -> join(a.idempotency().claim("k", hash))
        instanceof IdempotencyClaim.Acquired, () -> "forgotten after the TTL");
  }
}
