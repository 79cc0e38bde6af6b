package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.port.out.IdempotencyStore.Answer;
import io.realtime.port.out.IdempotencyStore.Claim;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key across nodes, on a real Redis. */
class RedisIdempotencyTest {
  private static final String BODY = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"n\"}";
  private static final String HASH = RedisKeys.sha256(BODY);
  private static final Answer ANSWER = new Answer(202, "{\"id\":\"m1\",\n\"recipients\":3}");
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
    var claim = assertInstanceOf(Claim.Acquired.class,
        join(a.idempotency().claim("key-1", HASH)));
    assertInstanceOf(Claim.InProgress.class, join(b.idempotency().claim("key-1", HASH)),
        "the first request is still publishing");
    assertEquals(new Claim.Conflict(),
        join(b.idempotency().claim("key-1", RedisKeys.sha256(BODY + " "))),
        "another body, even while the first runs");
    assertTrue(join(a.idempotency().complete(claim, ANSWER)));
    assertEquals(new Claim.Replayed(ANSWER), join(b.idempotency().claim("key-1", HASH)),
        "status and body, line breaks included");
    assertEquals(new Claim.Conflict(),
        join(b.idempotency().claim("key-1", RedisKeys.sha256(BODY + " "))));
    assertInstanceOf(Claim.Acquired.class, join(b.idempotency().claim("key-2", HASH)),
        "keys are independent");
  }

  @Test
  void aReleasedClaimLetsARetryPublish() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    var claim = assertInstanceOf(Claim.Acquired.class, join(a.idempotency().claim("k", HASH)));
    assertTrue(join(a.idempotency().release(claim)));
    var again = assertInstanceOf(Claim.Acquired.class, join(a.idempotency().claim("k", HASH)));
    assertEquals(false, join(a.idempotency().complete(claim, new Answer(202, "stale"))),
        "an old claim is void");
    assertEquals(false, join(a.idempotency().release(claim)), "and releases nothing");
    assertTrue(join(a.idempotency().complete(again, ANSWER)));
    assertEquals(false, join(a.idempotency().release(again)), "an answered key stays");
    assertEquals(new Claim.Replayed(ANSWER), join(a.idempotency().claim("k", HASH)));
  }

  @Test
  void theAnswerIsKeptForTheTtlThenForgotten() throws Exception {
    RedisEngine a = nodes.start("a", new RecordingListener(),
        s -> s.idempotencyTtl(Duration.ofMillis(500)));
    var claim = assertInstanceOf(Claim.Acquired.class, join(a.idempotency().claim("k", HASH)));
    join(a.idempotency().complete(claim, ANSWER));
    long pttl = Long.parseLong(nodes.server.command("PTTL", "realtime:idem:"
        + RedisKeys.sha256("k")));
    assertTrue(pttl > 0 && pttl <= 500, "expires: " + pttl);
    Eventually.await(Duration.ofSeconds(5), () -> join(a.idempotency().claim("k", HASH))
        instanceof Claim.Acquired, () -> "forgotten after the TTL");
  }

  @Test
  void withRedisDownEveryCallFailsAsUnavailable() {
    RedisEngine a = nodes.start("a", new RecordingListener());
    var claim = assertInstanceOf(Claim.Acquired.class, join(a.idempotency().claim("k", HASH)));
    nodes.server.kill();
    for (var call : List.of(a.idempotency().claim("k2", HASH),
        a.idempotency().complete(claim, ANSWER), a.idempotency().release(claim))) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> call.get(10, TimeUnit.SECONDS));
      assertInstanceOf(RedisUnavailableException.class, failed.getCause());
    }
  }
}
