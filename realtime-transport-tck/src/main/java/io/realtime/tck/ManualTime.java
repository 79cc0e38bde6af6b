package io.realtime.tck;

import io.realtime.port.out.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time a test moves by hand, for a whole kit node: the wall clock (token {@code exp}, message
 * timestamps), the monotonic ticker (rate buckets, heartbeats) and the core's scheduler, all
 * on one reading. {@link #advance} runs every timer that falls due on the way, in order, on
 * the calling thread. Network I/O still runs in real time; only the node's decisions about
 * time are the test's. Thread-safe.
 */
public final class ManualTime extends Clock implements KitTime {
  private final List<Task> tasks = new ArrayList<>();
  private final Scheduler scheduler = new ManualScheduler();
  private volatile Instant now;
  private long sequence;

  /** Starts at the machine's present second, so tokens minted now are valid now. */
  public ManualTime() {
    this(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  public ManualTime(Instant start) {
    this.now = start;
  }

  /** The time as monotonic nanoseconds, for the node's ticker: moves only with this clock. */
  public long nanos() {
    Instant at = now;
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  /** The node's scheduler: tasks run only inside {@link #advance}. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** Moves time forward, running every task that falls due on the way. */
  public void advance(Duration by) {
    Instant end = now.plus(by);
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
        if (next.due.isAfter(now)) {
          now = next.due;
        }
        if (next.period == null) {
          tasks.remove(next);
        } else {
          next.due = next.due.plus(next.period);
        }
      }
      next.task.run();
    }
    synchronized (this) {
      if (end.isAfter(now)) {
        now = end;
      }
    }
  }

  /** Tasks not yet run or cancelled (periodic ones count until cancelled). */
  public synchronized int pending() {
    tasks.removeIf(t -> t.cancelled);
    return tasks.size();
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  private synchronized Scheduler.Cancellable add(Runnable task, Duration delay, Duration period) {
    Task t = new Task(task, now.plus(delay), period, sequence++);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  private final class ManualScheduler implements Scheduler {
    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      return add(task, delay, null);
    }

    @Override
    public Cancellable every(Runnable task, Duration period) {
      return add(task, period, period);
    }
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
