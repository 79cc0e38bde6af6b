package io.realtime.adapter.web;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds a server-initiated close (1000, 1001, 1008, 4001, 4003: every close that flushes the
 * queue first) until the client has stopped sending for {@code quiet}, and never longer than
 * {@code max}. Why: a transport may cut the TCP connection as soon as its close frame is out
 * (Jetty does for every code it deems abnormal, 1001 and 1008 among them, without waiting for
 * the client's close), and closing a socket whose receive buffer still holds unread client
 * frames makes the kernel send a reset, which discards on the client's side the answers it
 * had not read yet: a flooding client then never saw the {@code rate_limited} errors that
 * preceded its 1008. Reading what the client had already sent before closing avoids the
 * reset; the bound keeps a client that never stops from holding its connection.
 *
 * <p>One timer thread per web adapter, started on first use and stopped with the server.
 * Thread-safe; never blocks.
 */
final class Linger {
  /** Closes at once: for queues made without a web adapter (tests, hand-made channels). */
  static final Linger NONE = new Linger(Duration.ZERO, Duration.ZERO);

  /** Quiet time a client gets before the close goes out. */
  static final Duration QUIET = Duration.ofMillis(100);
  /** The longest a close waits for a client that keeps sending. */
  static final Duration MAX = Duration.ofSeconds(2);

  private final long quietNanos;
  private final long maxNanos;
  private final LongSupplier ticker;
  private final ScheduledThreadPoolExecutor timer;

  Linger(Duration quiet, Duration max) {
    this(quiet, max, System::nanoTime);
  }

  /** @param ticker monotonic nanoseconds the quiet and the bound are measured on */
  Linger(Duration quiet, Duration max, LongSupplier ticker) {
    this.ticker = ticker;
    this.quietNanos = quiet.toNanos();
    this.maxNanos = max.toNanos();
    if (maxNanos <= 0) {
      timer = null;
      return;
    }
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "realtime-close-linger");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code close} once the client has been quiet for the quiet time by
   * {@code lastInboundNanos} (a reading of {@link #now}), or the bound from now.
   */
  void close(LongSupplier lastInboundNanos, Runnable close) {
    if (timer == null) {
      close.run();
      return;
    }
    long deadline = ticker.getAsLong() + maxNanos;
    check(lastInboundNanos, close, deadline);
  }

  /** The reading inbound activity is marked with. */
  long now() {
    return ticker.getAsLong();
  }

  private void check(LongSupplier lastInboundNanos, Runnable close, long deadline) {
    long now = ticker.getAsLong();
    long quietFor = now - lastInboundNanos.getAsLong();
    if (quietFor >= quietNanos || now - deadline >= 0) {
      close.run();
      return;
    }
    // never less than a millisecond: a ticker that stands still must not make a busy loop
    long wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(quietNanos - quietFor, deadline - now));
    try {
      timer.schedule(() -> check(lastInboundNanos, close, deadline), wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // the server is stopping: close now
      close.run();
    }
  }

  /** Stops the timer thread; closes still held are dropped (the transport cuts the sockets). */
  void shutdown() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** For tests: the executor, so they can see it stopped. */
  ScheduledExecutorService timer() {
    return timer;
  }
}
