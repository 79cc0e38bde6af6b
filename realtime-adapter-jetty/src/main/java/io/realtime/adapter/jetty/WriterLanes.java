package io.realtime.adapter.jetty;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Jetty sockets' outbound queues write: a few serial lanes on Jetty's pool, each socket
 * on one of them, as each Undertow socket has its I/O thread.
 *
 * <p>Why: a publish offers its frame to every recipient's queue. Written on the publisher's
 * thread, each frame is one trip through Jetty's flusher and one system call. Handed to a
 * lane, a queue waits its turn while the lane writes the sockets before it, and what was
 * offered meanwhile leaves as one batch: a fan-out that outpaces the sockets pays per batch,
 * not per frame, and an idle one costs a hop.
 *
 * <p>Threading: {@link Lane#execute} from any thread; a lane runs its tasks one at a time, in
 * order, on a pool thread it holds only while it has work. Tasks must not block.
 */
final class WriterLanes {
  private static final Logger log = LoggerFactory.getLogger(WriterLanes.class);

  private final Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();

  WriterLanes(Executor pool, int count) {
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = new Lane(pool);
    }
  }

  /** The lane for a new socket: taken in turn, so that sockets spread evenly. */
  Lane assign() {
    return lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
  }

  /** One serial executor: runs on a borrowed pool thread until it has nothing left. */
  static final class Lane implements Runnable {
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Lane(Executor pool) {
      this.pool = pool;
    }

    void execute(Runnable task) {
      tasks.offer(task);
      if (scheduled.compareAndSet(false, true)) {
        try {
          pool.execute(this);
        } catch (RejectedExecutionException e) { // the pool is stopping: its sends fail
          run();
        }
      }
    }

    @Override
    public void run() {
      do {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException e) { // a writer never throws; if one did, the lane goes on
            log.error("ws.writer_failed transport=jetty error={}", e.toString(), e);
          }
        }
        scheduled.set(false);
        // a task offered after the poll found the lane still scheduled: take it over
      } while (!tasks.isEmpty() && scheduled.compareAndSet(false, true));
    }
  }
}
