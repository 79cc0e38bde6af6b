package io.realtime.port.out;

import java.time.Duration;

/** Timers for the core: token expiry and heartbeats. Thread-safe; tasks must not block. */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}. */
  Cancellable schedule(Runnable task, Duration delay);

  /** Runs {@code task} every {@code period}, first after one period. */
  Cancellable every(Runnable task, Duration period);

  /** A scheduled task; cancelling twice, or after it ran, does nothing. */
  interface Cancellable {
    void cancel();
  }
}
