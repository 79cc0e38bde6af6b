package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  /** Takes {@code n} tokens at {@code now}; returns the bucket and asserts each was granted. */
  private static TokenBucket drain(TokenBucket bucket, int n, long now) {
    for (int i = 0; i < n; i++) {
      TokenBucket.Take take = bucket.take(now);
      assertTrue(take.granted(), "token " + (i + 1) + " of " + n);
      bucket = take.bucket();
    }
    return bucket;
  }

  @Test
  void fullBucketGrantsTheBurstThenRefuses() {
    TokenBucket bucket = drain(TokenBucket.full(2, 5, T0), 5, T0);
    TokenBucket.Take sixth = bucket.take(T0);
    assertFalse(sixth.granted());
    assertFalse(sixth.bucket().take(T0).granted(), "a refusal does not make a token");
  }

  @Test
  void refillsAtTheRate() {
    TokenBucket empty = drain(TokenBucket.full(4, 4, T0), 4, T0);
    assertFalse(empty.take(T0 + SECOND / 4 - 1).granted(), "just under one token's time");
    TokenBucket.Take quarter = empty.take(T0 + SECOND / 4);
    assertTrue(quarter.granted(), "one token after 1/rate seconds");
    assertFalse(quarter.bucket().take(T0 + SECOND / 4).granted());
    drain(empty, 2, T0 + SECOND / 2);
  }

  @Test
  void refusalKeepsPartialProgress() {
    TokenBucket empty = drain(TokenBucket.full(1, 1, T0), 1, T0);
    TokenBucket.Take half = empty.take(T0 + SECOND / 2);
    assertFalse(half.granted());
    assertEquals(0.5, half.bucket().tokens(), 1e-9);
    assertTrue(half.bucket().take(T0 + SECOND).granted(), "the first half second still counts");
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    TokenBucket empty = drain(TokenBucket.full(10, 3, T0), 3, T0);
    TokenBucket later = drain(empty, 3, T0 + 3600 * SECOND);
    assertFalse(later.take(T0 + 3600 * SECOND).granted(), "an hour idle still gives only 3");
    TokenBucket.Take one = TokenBucket.full(10, 3, T0).take(T0 + 3600 * SECOND);
    assertEquals(2.0, one.bucket().tokens(), 1e-9);
  }

  @Test
  void clockGoingBackwardsAddsNoTokens() {
    TokenBucket empty = drain(TokenBucket.full(1, 2, T0), 2, T0);
    assertFalse(empty.take(T0 - 10 * SECOND).granted());
    assertFalse(empty.take(T0 - 3600 * SECOND).granted());
  }

  /**
   * A wall clock stepped back and then returning to where it was must not pay the same seconds
   * twice. The core feeds buckets {@code clock.instant()} (ConnectionService.nanoTime), which is
   * not monotonic, so this is reachable on an NTP step.
   */
  @Test
  void clockSteppingBackThenForwardDoesNotRefillTheSameTimeTwice() {
    TokenBucket empty = drain(TokenBucket.full(1, 2, T0), 2, T0);
    TokenBucket.Take back = empty.take(T0 - 10 * SECOND);
    assertFalse(back.granted());
    assertFalse(back.bucket().take(T0).granted(),
        "no real time passed since the bucket was emptied at T0");
  }

  @Test
  void grantedTakeRecordsTheTimeAndTheRest() {
    TokenBucket.Take take = TokenBucket.full(5, 3, T0).take(T0 + 7);
    assertTrue(take.granted());
    assertEquals(new TokenBucket(5, 3, 2, T0 + 7), take.bucket());
  }

  @Test
  void rateMustBePositiveAndBurstAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(0, 1, T0));
    assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(-1, 1, T0));
    assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(Double.NaN, 1, T0));
    assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(1, 0.5, T0));
    assertThrows(IllegalArgumentException.class, () -> TokenBucket.full(1, Double.NaN, T0));
  }
}
