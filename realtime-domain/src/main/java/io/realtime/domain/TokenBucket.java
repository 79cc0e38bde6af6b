package io.realtime.domain;

/**
 * A token bucket as a value: {@code rate} tokens per second up to {@code burst}. Taking a token
 * makes a new bucket, so one can be kept per connection without locks by its single reader.
 *
 * @param tokens tokens available at {@code atNanos}
 * @param atNanos a reading of a monotonic clock ({@link System#nanoTime()} or a test's)
 */
public record TokenBucket(double rate, double burst, double tokens, long atNanos) {
  public TokenBucket {
    if (!(rate > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
  }

  /** A full bucket. */
  public static TokenBucket full(double rate, double burst, long nowNanos) {
    return new TokenBucket(rate, burst, burst, nowNanos);
  }

  /** The bucket after refilling up to {@code nowNanos} and taking one token if there is one. */
  public Take take(long nowNanos) {
    // a clock stepping back refills nothing, and the bucket keeps its later reading so that
    // stepping forward again does not count the same time twice
    long at = Math.max(atNanos, nowNanos);
    double elapsedSeconds = (at - atNanos) / 1e9;
    double available = Math.min(burst, tokens + elapsedSeconds * rate);
    if (available >= 1) {
      return new Take(true, new TokenBucket(rate, burst, available - 1, at));
    }
    return new Take(false, new TokenBucket(rate, burst, available, at));
  }

  /** The outcome of {@link #take}: whether a token was granted, and the bucket after. */
  public record Take(boolean granted, TokenBucket bucket) {}
}
