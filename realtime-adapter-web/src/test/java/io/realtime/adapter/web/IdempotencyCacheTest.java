package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.core.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {
  private final ManualClock clock =
      new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));

  @Test
  void staysBoundedForgettingTheOldestFirst() {
    IdempotencyCache cache = new IdempotencyCache(Duration.ofMinutes(5), 100, clock);
    AtomicInteger runs = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      cache.execute("k" + i, new byte[] {1}, () -> {
        runs.incrementAndGet();
        return HttpResponse.noContent();
      });
    }
    assertTrue(cache.size() <= 100, "size " + cache.size());
    cache.execute("k999", new byte[] {1}, () -> {
      runs.incrementAndGet();
      return HttpResponse.noContent();
    });
    assertEquals(1000, runs.get(), "the newest key is still remembered");
    cache.execute("k0", new byte[] {1}, () -> {
      runs.incrementAndGet();
      return HttpResponse.noContent();
    });
    assertEquals(1001, runs.get(), "the oldest key was forgotten");
  }

  @Test
  void expiredEntriesAreDroppedAsTimePasses() {
    IdempotencyCache cache = new IdempotencyCache(Duration.ofMinutes(5), 100, clock);
    for (int i = 0; i < 50; i++) {
      cache.execute("k" + i, new byte[] {1}, HttpResponse::noContent);
    }
    clock.advance(Duration.ofMinutes(6));
    cache.execute("new", new byte[] {1}, HttpResponse::noContent);
    assertEquals(1, cache.size());
  }

  @Test
  void serverErrorsAreNotRemembered() {
    IdempotencyCache cache = new IdempotencyCache(Duration.ofMinutes(5), 100, clock);
    AtomicInteger runs = new AtomicInteger();
    for (int i = 0; i < 2; i++) {
      cache.execute("k", new byte[] {1}, () -> {
        runs.incrementAndGet();
        return HttpResponse.error(500, "internal_error", "x");
      });
    }
    assertEquals(2, runs.get());
    assertThrows(IllegalStateException.class, () -> cache.execute("boom", new byte[] {1}, () -> {
      throw new IllegalStateException("bug");
    }));
    assertEquals(204, cache.execute("boom", new byte[] {1}, HttpResponse::noContent).status());
  }
}
