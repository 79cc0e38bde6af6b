package io.realtime.adapter.web;

import io.realtime.port.out.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-node {@link IdempotencyStore}: first answers in this JVM's memory, the default of
 * {@link WebAdapter}. Bounded: beyond {@code maxEntries} the oldest keys are forgotten first;
 * a key expires {@code ttl} after it was claimed.
 *
 * <p>Thread-safe, lock-free; every future is already complete when returned.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
  /** How many keys are remembered by default. */
  public static final int DEFAULT_ENTRIES = 10_000;

  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong tokens = new AtomicLong();

  /** Remembers {@link #DEFAULT_ENTRIES} keys for {@link HttpApi#IDEMPOTENCY_WINDOW}. */
  public InMemoryIdempotencyStore(Clock clock) {
    this(HttpApi.IDEMPOTENCY_WINDOW, DEFAULT_ENTRIES, clock);
  }

  public InMemoryIdempotencyStore(Duration ttl, int maxEntries, Clock clock) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1");
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<Claim> claim(String key, String fingerprint) {
    Instant now = clock.instant();
    Entry mine = new Entry(key, fingerprint, Long.toString(tokens.incrementAndGet()),
        now.plus(ttl));
    Entry existing = entries.putIfAbsent(key, mine);
    if (existing != null && existing.expiresAt.isBefore(now)) {
      entries.remove(key, existing);
      existing = entries.putIfAbsent(key, mine);
    }
    if (existing == null) {
      order.add(mine);
      size.incrementAndGet();
      evict(now);
      return done(new Claim.Acquired(key, fingerprint, mine.token));
    }
    if (!existing.fingerprint.equals(fingerprint)) {
      return done(new Claim.Conflict());
    }
    Answer answer = existing.answer;
    return done(answer == null ? new Claim.InProgress() : new Claim.Replayed(answer));
  }

  @Override
  public CompletionStage<Boolean> complete(Claim.Acquired claim, Answer answer) {
    Objects.requireNonNull(answer, "answer");
    Entry entry = held(claim);
    if (entry == null) {
      return CompletableFuture.completedFuture(false);
    }
    entry.answer = answer;
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public CompletionStage<Boolean> release(Claim.Acquired claim) {
    Entry entry = held(claim);
    // its slot in `order` goes when it reaches the head
    return CompletableFuture.completedFuture(entry != null && entries.remove(claim.key(), entry));
  }

  int size() {
    return entries.size();
  }

  /** The entry of this claim while it is still pending; null when lapsed or another's. */
  private Entry held(Claim.Acquired claim) {
    Entry entry = entries.get(claim.key());
    return entry != null && entry.token.equals(claim.token()) && entry.answer == null
        ? entry : null;
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

  private static CompletionStage<Claim> done(Claim claim) {
    return CompletableFuture.completedFuture(claim);
  }

  /** One key: pending while {@code answer} is null, then answered (set once). */
  private static final class Entry {
    final String key;
    final String fingerprint;
    final String token;
    final Instant expiresAt;
    volatile Answer answer;

    Entry(String key, String fingerprint, String token, Instant expiresAt) {
      this.key = key;
      this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
      this.token = token;
      this.expiresAt = expiresAt;
    }
  }
}
