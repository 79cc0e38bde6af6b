package io.realtime.adapter.web;

import io.realtime.domain.UserId;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The connections this node has promised, per user and in all: a handshake reserves a place
 * atomically before it accepts, so simultaneous upgrades of one user can never pass the cap
 * together; the place is held while the socket is open and released exactly once, when it
 * closes or on any failure on the way ({@link Reservation#release()}).
 *
 * <p>A reservation the transport never claims (an upgrade that failed where no callback tells
 * us) lapses after {@code lease}: each new reservation first releases the lapsed ones, oldest
 * first. A reservation claimed after it lapsed takes a new place without a cap check, so the
 * counts stay true.
 *
 * <p>Thread-safe and lock-free: the total is a CAS counter, a user's count is updated in its
 * map bin. Never blocks.
 */
final class ConnectionBudget {
  private final int maxTotal;
  private final int maxPerUser;
  private final LongSupplier ticker;
  private final long leaseNanos;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<UserId, Integer> perUser = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Reservation> unclaimed = new ConcurrentLinkedQueue<>();

  ConnectionBudget(int maxTotal, int maxPerUser, LongSupplier ticker, long leaseNanos) {
    this.maxTotal = maxTotal;
    this.maxPerUser = maxPerUser;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.leaseNanos = leaseNanos;
  }

  /** What a reservation attempt came to. */
  enum Verdict {
    /** A place is reserved. */
    GRANTED,
    /** The node holds {@code maxConnections}. */
    NODE_FULL,
    /** The user holds {@code maxConnectionsPerUser}. */
    USER_FULL
  }

  /** The outcome of {@link #reserve}: the verdict, and the place when it was granted. */
  record Attempt(Verdict verdict, Reservation reservation) {
    static final Attempt NODE_FULL = new Attempt(Verdict.NODE_FULL, Reservation.NONE);
    static final Attempt USER_FULL = new Attempt(Verdict.USER_FULL, Reservation.NONE);
  }

  /** Whether the node is full already: a cheap look before a token is checked. */
  boolean nodeFull() {
    return total.get() >= maxTotal;
  }

  /** A place for one more connection of {@code user}, or why there is none. */
  Attempt reserve(UserId user) {
    long now = ticker.getAsLong();
    sweep(now);
    while (true) {
      int t = total.get();
      if (t >= maxTotal) {
        return Attempt.NODE_FULL;
      }
      if (total.compareAndSet(t, t + 1)) {
        break;
      }
    }
    boolean[] granted = new boolean[1];
    perUser.compute(user, (u, n) -> {
      int held = n == null ? 0 : n;
      if (held >= maxPerUser) {
        return n;
      }
      granted[0] = true;
      return held + 1;
    });
    if (!granted[0]) {
      total.decrementAndGet();
      return Attempt.USER_FULL;
    }
    Reservation r = new Reservation(this, user, now + leaseNanos);
    unclaimed.add(r);
    return new Attempt(Verdict.GRANTED, r);
  }

  /** A place taken without a cap check, for a reservation claimed after it lapsed. */
  Reservation reserveAnyway(UserId user) {
    total.incrementAndGet();
    perUser.merge(user, 1, Integer::sum);
    Reservation r = new Reservation(this, user, Long.MAX_VALUE);
    r.claim();
    return r;
  }

  /** Connections reserved or open on this node. */
  int total() {
    return total.get();
  }

  /** Connections reserved or open for {@code user}. */
  int of(UserId user) {
    return perUser.getOrDefault(user, 0);
  }

  void release(UserId user) {
    perUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  /** Drops claimed or released reservations from the head, and releases lapsed ones. */
  private void sweep(long now) {
    for (Reservation head = unclaimed.peek(); head != null; head = unclaimed.peek()) {
      if (head.isPending() && now - head.deadlineNanos() < 0) {
        return; // the oldest is still within its lease: so are the younger ones
      }
      head.lapse();
      unclaimed.remove(head);
    }
  }
}
