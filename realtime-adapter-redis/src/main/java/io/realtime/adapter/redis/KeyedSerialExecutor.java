package io.realtime.adapter.redis;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks of one key one after another, in submission order, and tasks of different keys in
 * parallel on a shared pool. A task returns a stage; the key's next task starts only once that
 * stage completes, so a task may wait on Redis without holding a thread.
 *
 * <p>Thread-safe; {@link #submit} never blocks and refuses work beyond {@code capacity} tasks
 * not yet finished over all keys. A key's queue lives in the map only while it has work, and
 * every change to it happens inside {@link ConcurrentHashMap#compute}, the key's lock.
 */
final class KeyedSerialExecutor {
  private static final Logger log = LoggerFactory.getLogger(KeyedSerialExecutor.class);
  private static final int BATCH = 64;

  private final Executor pool;
  private final int capacity;
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<Object, ArrayDeque<Supplier<? extends CompletionStage<?>>>> lanes =
      new ConcurrentHashMap<>();

  KeyedSerialExecutor(Executor pool, int capacity) {
    this.pool = pool;
    this.capacity = capacity;
  }

  /** Queues a task behind the key's others; false (and nothing queued) when full. */
  boolean submit(Object key, Supplier<? extends CompletionStage<?>> task) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return false;
    }
    boolean[] start = {false};
    lanes.compute(key, (k, lane) -> {
      if (lane == null) {
        lane = new ArrayDeque<>();
        start[0] = true;
      }
      lane.addLast(task);
      return lane;
    });
    if (start[0]) {
      execute(key);
    }
    return true;
  }

  /** Tasks queued or running, over all keys. */
  int pending() {
    return pending.get();
  }

  private void execute(Object key) {
    try {
      pool.execute(() -> drain(key));
    } catch (RuntimeException rejected) {
      lanes.remove(key); // shutting down
    }
  }

  private void drain(Object key) {
    for (int n = 0; n < BATCH; n++) {
      Object[] next = {null};
      lanes.computeIfPresent(key, (k, lane) -> {
        next[0] = lane.peekFirst();
        return next[0] == null ? null : lane;
      });
      if (next[0] == null) {
        return; // the lane is gone: the next submit starts a new one
      }
      @SuppressWarnings("unchecked")
      Supplier<? extends CompletionStage<?>> task = (Supplier<? extends CompletionStage<?>>) next[0];
      CompletableFuture<?> stage;
      try {
        stage = task.get().toCompletableFuture();
      } catch (RuntimeException e) {
        log.error("dispatch.failed key={}", key, e);
        stage = CompletableFuture.completedFuture(null);
      }
      if (!stage.isDone()) {
        stage.whenComplete((r, e) -> {
          finish(key);
          execute(key);
        });
        return;
      }
      finish(key);
    }
    execute(key); // a long lane yields to the others
  }

  /** Removes the finished head; the lane stays while more is queued. */
  private void finish(Object key) {
    pending.decrementAndGet();
    lanes.computeIfPresent(key, (k, lane) -> {
      lane.pollFirst();
      return lane; // drain removes it once empty, so a concurrent submit sees a running lane
    });
  }
}
