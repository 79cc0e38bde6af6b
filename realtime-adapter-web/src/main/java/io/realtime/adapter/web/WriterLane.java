package io.realtime.adapter.web;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where sockets' outbound queues write: a serial executor over a transport's thread, shared
 * by the sockets assigned to it (Undertow: one lane per I/O thread; Jetty: one per I/O thread's
 * worth of its pool). A {@link FrameSink#runWriter} hands its writer here.
 *
 * <p>Why: a publish offers its frame to every recipient's queue. Written on the publisher's
 * thread, each frame is one trip through the transport and one system call; handed to the
 * socket's thread one task each, it is also one wake-up of that thread each. On a lane the
 * publisher's offer costs a queue node, the lane's thread is woken once per burst, and a queue
 * waits its turn while the lane writes the sockets before it: what it was offered meanwhile
 * leaves as one batch. A fan-out that outpaces the sockets then pays per batch, not per frame.
 *
 * <p>Threading: {@link #execute} from any thread, never blocking. Tasks run one at a time, in
 * the order they were given, on the executor's thread, which the lane holds only while it has
 * work; after {@link #TASKS_PER_TURN} tasks it queues itself again, behind what else that thread
 * has to do. Tasks must not block.
 */
public final class WriterLane {
  /** Tasks run before the lane yields its thread and queues itself again. */
  static final int TASKS_PER_TURN = 256;

  private static final Logger log = LoggerFactory.getLogger(WriterLane.class);

  private final Executor executor;
  private final Executor yieldTo;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable turn = this::turn;

  /** A lane whose turns all run on {@code executor} (a pool: a turn given back waits its turn). */
  public WriterLane(Executor executor) {
    this(executor, executor);
  }

  /**
   * @param executor where an idle lane that is given a task starts its turn
   * @param yieldTo where the next turn is queued after a turn used its share: another path back
   *     to the same thread when {@code executor} would run it before the thread's other work
   */
  public WriterLane(Executor executor, Executor yieldTo) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.yieldTo = Objects.requireNonNull(yieldTo, "yieldTo");
  }

  /** Runs {@code task} after the tasks given before it, on the executor's thread. */
  public void execute(Runnable task) {
    tasks.offer(task);
    if (scheduled.compareAndSet(false, true)) {
      schedule(executor);
    }
  }

  private void schedule(Executor on) {
    try {
      on.execute(turn);
    } catch (RejectedExecutionException e) { // the transport is stopping: its sends fail
      turn();
    }
  }

  private void turn() {
    int ran = 0;
    while (true) {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) { // a writer never throws; if one did, the lane goes on
          log.error("ws.writer_failed error={}", e.toString(), e);
        }
        if (++ran >= TASKS_PER_TURN && !tasks.isEmpty()) {
          schedule(yieldTo); // still scheduled: the next turn goes on where this one stopped
          return;
        }
      }
      scheduled.set(false);
      // a task offered after the last poll found the lane still scheduled: take it over
      if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
