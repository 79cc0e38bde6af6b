package io.realtime.adapter.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * First answers of the server API by {@code Idempotency-Key}, so a retry within the window gets
 * the same answer without publishing again. Bounded: beyond {@code maxEntries} the oldest keys
 * are forgotten first; entries expire after {@code ttl}.
 *
 * <p>Thread-safe, lock-free. A retry that arrives while the first request is still running
 * waits for its answer, at most {@link #WAIT} (the API thread blocks; publishing never does).
 * Only 2xx and 4xx answers are kept: a 5xx may be retried for real.
 */
final class IdempotencyCache {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  IdempotencyCache(Duration ttl, int maxEntries, Clock clock) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1");
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The first answer for {@code key}, running {@code action} only if there is none yet.
   *
   * @param fingerprint identifies the request body; the same key with another body is refused
   */
  HttpResponse execute(String key, byte[] fingerprint, Supplier<HttpResponse> action) {
    Instant now = clock.instant();
    Entry mine = new Entry(key, fingerprint.clone(), now.plus(ttl));
    Entry existing = entries.putIfAbsent(key, mine);
    if (existing != null && existing.expiresAt.isBefore(now)) {
      entries.remove(key, existing);
      existing = entries.putIfAbsent(key, mine);
    }
    if (existing != null) {
      if (!Arrays.equals(existing.fingerprint, fingerprint)) {
        return HttpResponse.error(400, "bad_request",
            "this Idempotency-Key was already used for a different request");
      }
      return existing.await();
    }
    order.add(mine);
    size.incrementAndGet();
    evict(now);
    HttpResponse response;
    try {
      response = action.get();
    } catch (RuntimeException e) {
      forget(key, mine);
      mine.answer.completeExceptionally(e);
      throw e;
    }
    if (response.status() >= 500) {
      forget(key, mine);
    }
    mine.answer.complete(response);
    return response;
  }

  int size() {
    return entries.size();
  }

  private void forget(String key, Entry entry) {
    entries.remove(key, entry); // its slot in `order` goes when it reaches the head
  }

  /** Forgets the oldest entries while there are too many or they have expired. */
  private void evict(Instant now) {
    while (true) {
      Entry oldest = order.peek();
      if (oldest == null || (size.get() <= maxEntries && !oldest.expiresAt.isBefore(now))) {
        return;
      }
      if (order.remove(oldest)) { // another thread may have taken it meanwhile
        size.decrementAndGet();
        entries.remove(oldest.key, oldest);
      }
    }
  }

  private static final class Entry {
    final String key;
    final byte[] fingerprint;
    final Instant expiresAt;
    final CompletableFuture<HttpResponse> answer = new CompletableFuture<>();

    Entry(String key, byte[] fingerprint, Instant expiresAt) {
      this.key = key;
      this.fingerprint = fingerprint;
      this.expiresAt = expiresAt;
    }

    HttpResponse await() {
      try {
        return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return HttpResponse.error(409, "conflict",
            "a request with this Idempotency-Key is still in progress");
      } catch (ExecutionException e) {
        return HttpResponse.error(500, "internal_error", "the first request failed; retry");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return HttpResponse.error(503, "shutting_down", "interrupted; retry");
      }
    }
  }
}
