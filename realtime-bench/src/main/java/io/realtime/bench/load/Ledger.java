package io.realtime.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What was published and what arrived, for one run: per group the next sequence number, the
 * set of sequence numbers the server accepted (202), the members currently able to receive,
 * and run-wide delivery counters and the end-to-end latency histogram.
 *
 * <p>Latency is {@code System.nanoTime()} at delivery minus the {@code t} the publisher put in
 * the payload: the same clock of the same process (generator), so no clock offset enters. It
 * covers the POST (HTTP client and server), routing, the server's queue and write, the kernel's
 * loopback, and the client's frame parse; it does not cover time a paced send waited for a
 * free in-flight slot (that shows as a publish rate below the target instead).
 *
 * <p>Thread-safe: counters are atomic; each group's accepted set is guarded by itself, and so
 * is its in-flight set together with its next number (taking a number puts it in flight); each
 * receiving thread records latency into its own histogram, merged by {@link #latency()} once
 * deliveries have stopped.
 */
final class Ledger {
  /** Latencies above this are recorded as this: a minute is beyond any bounded run's drain. */
  static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final AtomicLong[] nextSeq;
  private final BitSet[] accepted;
  private final AtomicInteger[] members;
  private final List<ConcurrentSkipListSet<Long>> inFlight; // empty unless tracking
  // one histogram per receiving thread, merged at the end: no shared counter on the hot path
  private final List<Histogram> latencies = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Histogram> latency = ThreadLocal.withInitial(() -> {
    Histogram h = new Histogram(MAX_LATENCY_NANOS, 3);
    latencies.add(h);
    return h;
  });

  final LongAdder published = new LongAdder();
  final LongAdder publishFailed = new LongAdder();
  final LongAdder acceptedMeasured = new LongAdder();
  final LongAdder expectedDeliveries = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder deliveredMeasured = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder misrouted = new LongAdder();
  final LongAccumulator lastDeliveryNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
  private volatile long measureFromNanos = Long.MAX_VALUE;

  /** @param trackInFlight keep the set of unanswered sequence numbers per group (churn) */
  Ledger(int groups, boolean trackInFlight) {
    nextSeq = new AtomicLong[groups];
    accepted = new BitSet[groups];
    members = new AtomicInteger[groups];
    List<ConcurrentSkipListSet<Long>> sets = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      nextSeq[g] = new AtomicLong();
      accepted[g] = new BitSet();
      members[g] = new AtomicInteger();
      if (trackInFlight) {
        sets.add(new ConcurrentSkipListSet<>());
      }
    }
    inFlight = List.copyOf(sets);
  }

  int groups() {
    return nextSeq.length;
  }

  /** From now on deliveries count towards throughput and latency. */
  void startMeasuring(long nanos) {
    measureFromNanos = nanos;
  }

  long measureFromNanos() {
    return measureFromNanos;
  }

  boolean measuring(long sentNanos) {
    return sentNanos >= measureFromNanos;
  }

  /** The next sequence number of {@code group}; sequence numbers fit an int (BitSet index). */
  int nextSeq(int group) {
    long seq;
    if (inFlight.isEmpty()) {
      seq = nextSeq[group].getAndIncrement();
    } else {
      ConcurrentSkipListSet<Long> unanswered = inFlight.get(group);
      // numbered and in flight at once: a leave that saw the number but not yet the set would
      // stop waiting for this message, which would then count as missing
      synchronized (unanswered) {
        seq = nextSeq[group].getAndIncrement();
        unanswered.add(seq);
      }
    }
    if (seq > Integer.MAX_VALUE - 1) {
      throw new IllegalStateException("sequence space of group " + group + " exhausted");
    }
    return (int) seq;
  }

  /** What the next publish to {@code group} will be numbered. */
  int peekSeq(int group) {
    return (int) nextSeq[group].get();
  }

  /** Every sequence number below this one has been answered (accepted or failed). */
  int lowestUnanswered(int group) {
    if (inFlight.isEmpty()) {
      throw new IllegalStateException("in-flight tracking is off");
    }
    ConcurrentSkipListSet<Long> unanswered = inFlight.get(group);
    long next;
    Long first;
    synchronized (unanswered) { // see nextSeq; answers only ever raise the result
      next = nextSeq[group].get();
      first = unanswered.ceiling(Long.MIN_VALUE); // null when none is in flight
    }
    return (int) Math.min(first != null ? first : next, next);
  }

  void accepted(int group, int seq, long sentNanos) {
    synchronized (accepted[group]) {
      accepted[group].set(seq);
    }
    expectedDeliveries.add(members[group].get());
    if (measuring(sentNanos)) {
      acceptedMeasured.increment();
    }
    answered(group, seq);
  }

  void failed(int group, int seq) {
    publishFailed.increment();
    answered(group, seq);
  }

  private void answered(int group, int seq) {
    if (!inFlight.isEmpty()) {
      inFlight.get(group).remove((long) seq);
    }
  }

  /** A copy of the accepted sequence numbers in [from, to), shifted to start at bit 0. */
  BitSet accepted(int group, int from, int to) {
    synchronized (accepted[group]) {
      return accepted[group].get(from, Math.max(from, to));
    }
  }

  BitSet acceptedAll(int group) {
    synchronized (accepted[group]) {
      return (BitSet) accepted[group].clone();
    }
  }

  void joined(int group) {
    members[group].incrementAndGet();
  }

  void left(int group) {
    members[group].decrementAndGet();
  }

  int members(int group) {
    return members[group].get();
  }

  /** Frames accepted and not delivered yet (negative while deliveries outrun the 202s). */
  long undelivered() {
    return expectedDeliveries.sum() - delivered.sum();
  }

  /** One delivery of a message sent at {@code sentNanos}, seen at {@code nowNanos}. */
  void delivered(long sentNanos, long nowNanos) {
    delivered.increment();
    if (measuring(sentNanos)) {
      deliveredMeasured.increment();
      latency.get().recordValue(Math.max(0, Math.min(nowNanos - sentNanos, MAX_LATENCY_NANOS)));
      lastDeliveryNanos.accumulate(nowNanos);
    }
  }

  /** Every thread's latencies merged; call once deliveries have stopped. */
  Histogram latency() {
    Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
    for (Histogram h : latencies) {
      all.add(h);
    }
    return all;
  }
}
