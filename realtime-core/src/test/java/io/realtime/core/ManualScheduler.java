package io.realtime.core;

import io.realtime.port.out.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler driven by a {@link ManualClock}: {@link #advance} runs what falls due, in order. */
public final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(task, clock.instant().plus(delay), null, sequence++);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public synchronized Cancellable every(Runnable task, Duration period) {
    Task t = new Task(task, clock.instant().plus(period), period, sequence++);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Moves the clock forward, running every task that falls due on the way. */
  public void advance(Duration by) {
    Instant end = clock.instant().plus(by);
    while (true) {
      Task next;
      synchronized (this) {
        tasks.removeIf(t -> t.cancelled);
        next = tasks.stream()
            .filter(t -> !t.due.isAfter(end))
            .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq))
            .orElse(null);
        if (next == null) {
          break;
        }
        if (next.due.isAfter(clock.instant())) {
          clock.advance(Duration.between(clock.instant(), next.due));
        }
        if (next.period == null) {
          tasks.remove(next);
        } else {
          next.due = next.due.plus(next.period);
        }
      }
      next.task.run();
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }

  /** Tasks not yet run or cancelled (periodic ones count until cancelled). */
  public synchronized int pending() {
    tasks.removeIf(t -> t.cancelled);
    return tasks.size();
  }

  private static final class Task {
    final Runnable task;
    Instant due;
    final Duration period;
    final long seq;
    volatile boolean cancelled;

    Task(Runnable task, Instant due, Duration period, long seq) {
      this.task = task;
      this.due = due;
      this.period = period;
      this.seq = seq;
    }
  }
}
