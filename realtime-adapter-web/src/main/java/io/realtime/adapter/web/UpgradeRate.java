package io.realtime.adapter.web;

import io.realtime.domain.TokenBucket;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The node-wide upgrade rate: a {@link TokenBucket} of {@code upgradeRate} per second up to
 * {@code upgradeBurst}, shared by every handshake thread through a CAS on the current bucket.
 * Thread-safe, lock-free, never blocks.
 */
final class UpgradeRate {
  private final AtomicReference<TokenBucket> bucket;
  private final LongSupplier ticker;

  UpgradeRate(double rate, int burst, LongSupplier ticker) {
    this.ticker = ticker;
    this.bucket = new AtomicReference<>(TokenBucket.full(rate, burst, ticker.getAsLong()));
  }

  /** Takes one upgrade's token; false when the node is over its rate. */
  boolean tryAcquire() {
    long now = ticker.getAsLong();
    while (true) {
      TokenBucket current = bucket.get();
      TokenBucket.Take take = current.take(now);
      if (!take.granted()) {
        return false; // nothing taken: no need to store the refill
      }
      if (bucket.compareAndSet(current, take.bucket())) {
        return true;
      }
    }
  }
}
