package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.core.ManualClock;
import io.realtime.port.out.IdempotencyStore.Answer;
import io.realtime.port.out.IdempotencyStore.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest {
  private static final Answer ANSWER = new Answer(202, "{\"id\":\"m1\",\"recipients\":3}");
  private final ManualClock clock =
      new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final InMemoryIdempotencyStore store =
      new InMemoryIdempotencyStore(Duration.ofMinutes(5), 100, clock);

  private static <T> T now(CompletionStage<T> stage) {
    return stage.toCompletableFuture().getNow(null); // the in-memory store answers at once
  }

  private Claim.Acquired acquire(String key) {
    return assertInstanceOf(Claim.Acquired.class, now(store.claim(key, "body")));
  }

  @Test
  void aClaimIsInProgressUntilCompletedThenReplayedAndAnotherBodyConflicts() {
    Claim.Acquired first = acquire("k");
    assertEquals(new Claim.InProgress(), now(store.claim("k", "body")));
    assertEquals(new Claim.Conflict(), now(store.claim("k", "other")), "even while running");
    assertTrue(now(store.complete(first, ANSWER)));
    assertEquals(new Claim.Replayed(ANSWER), now(store.claim("k", "body")));
    assertEquals(new Claim.Conflict(), now(store.claim("k", "other")));
    assertEquals(false, now(store.complete(first, ANSWER)), "answered once");
    acquire("k2");
  }

  @Test
  void aReleasedClaimLetsARetryRunAndTheOldClaimIsVoid() {
    Claim.Acquired first = acquire("k");
    assertTrue(now(store.release(first)));
    Claim.Acquired again = acquire("k");
    assertEquals(false, now(store.complete(first, ANSWER)), "an old claim stores nothing");
    assertEquals(false, now(store.release(first)), "nor releases the new one");
    assertTrue(now(store.complete(again, ANSWER)));
    assertEquals(false, now(store.release(again)), "an answered key stays");
    assertEquals(new Claim.Replayed(ANSWER), now(store.claim("k", "body")));
  }

  @Test
  void aKeyIsRememberedForTheWindowFromItsClaim() {
    assertTrue(now(store.complete(acquire("k"), ANSWER)));
    clock.advance(Duration.ofMinutes(5));
    assertEquals(new Claim.Replayed(ANSWER), now(store.claim("k", "body")));
    clock.advance(Duration.ofSeconds(1));
    acquire("k");
  }

  @Test
  void staysBoundedForgettingTheOldestFirst() {
    for (int i = 0; i < 1000; i++) {
      store.complete(acquire("k" + i), ANSWER);
    }
    assertTrue(store.size() <= 100, "size " + store.size());
    assertEquals(new Claim.Replayed(ANSWER), now(store.claim("k999", "body")),
        "the newest key is still remembered");
    acquire("k0"); // the oldest was forgotten
  }

  @Test
  void expiredEntriesAreDroppedAsTimePasses() {
    for (int i = 0; i < 50; i++) {
      store.complete(acquire("k" + i), ANSWER);
    }
    clock.advance(Duration.ofMinutes(6));
    acquire("new");
    assertEquals(1, store.size());
  }
}
