package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriterLaneTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
  }

  @Test
  void whatIsOfferedWhileALaneRunsWaitsAndRunsOnTheSameTurn() throws Exception {
    Recording recording = new Recording();
    WriterLane lane = new WriterLane(recording);
    List<String> ran = new ArrayList<>();
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    lane.execute(() -> {
      ran.add("a");
      inFirst.countDown();
      await(release);
    });
    assertTrue(inFirst.await(10, TimeUnit.SECONDS));
    lane.execute(() -> ran.add("b"));
    lane.execute(() -> ran.add("c"));
    release.countDown();
    recording.awaitIdle();
    assertEquals(List.of("a", "b", "c"), ran);
    assertEquals(1, recording.executed.get(), "one pool task carried all three");
  }

  @Test
  void anIdleLaneGivesItsThreadBackAndTakesOneForTheNextTask() throws Exception {
    Recording recording = new Recording();
    WriterLane lane = new WriterLane(recording);
    CountDownLatch ran = new CountDownLatch(2);
    lane.execute(ran::countDown);
    recording.awaitIdle();
    lane.execute(ran::countDown);
    recording.awaitIdle();
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    assertEquals(2, recording.executed.get());
  }

  @Test
  void aLaneYieldsItsThreadAfterATurnAndGoesOnWhereItStopped() {
    List<Runnable> started = new ArrayList<>();
    List<Runnable> submitted = new ArrayList<>();
    WriterLane lane = new WriterLane(started::add, submitted::add); // turns run when told
    int[] ran = new int[1];
    int tasks = 2 * WriterLane.TASKS_PER_TURN + 10;
    for (int i = 0; i < tasks; i++) {
      lane.execute(() -> ran[0]++);
    }
    assertEquals(1, started.size(), "one turn asked for, however many tasks wait");
    started.remove(0).run();
    assertEquals(WriterLane.TASKS_PER_TURN, ran[0]);
    assertEquals(1, submitted.size(), "the lane queued itself again, by the yielding path");
    submitted.remove(0).run();
    submitted.remove(0).run();
    assertEquals(tasks, ran[0]);
    assertEquals(0, submitted.size() + started.size(), "nothing left: the lane let go");
    lane.execute(() -> ran[0]++);
    assertEquals(1, started.size(), "an idle lane asks for a turn again");
  }

  @Test
  void aPoolThatRefusesRunsTheTaskOnTheCallersThread() {
    WriterLane lane = new WriterLane(task -> {
      throw new RejectedExecutionException("stopping");
    });
    List<Thread> ranOn = new ArrayList<>();
    lane.execute(() -> ranOn.add(Thread.currentThread()));
    lane.execute(() -> ranOn.add(Thread.currentThread()));
    assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), ranOn);
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheLane() throws InterruptedException {
    WriterLane lane = new WriterLane(pool);
    CountDownLatch after = new CountDownLatch(1);
    lane.execute(() -> {
      throw new IllegalStateException("a bug in a writer");
    });
    lane.execute(after::countDown);
    assertTrue(after.await(10, TimeUnit.SECONDS));
  }

  /**
   * Many producers against one lane: every task runs exactly once, never two at a time, and
   * each producer's tasks in the order it offered them.
   */
  @Test
  void tasksFromManyThreadsRunOnceEachOneAtATimeInEachThreadsOrder() throws Exception {
    int producers = 4;
    int perProducer = 20_000;
    WriterLane lane = new WriterLane(pool);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] lastSeen = new int[producers];
    int[] outOfOrder = new int[1];
    CountDownLatch all = new CountDownLatch(producers * perProducer);
    Thread[] threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int producer = p;
      lastSeen[p] = -1;
      threads[p] = new Thread(() -> {
        for (int i = 0; i < perProducer; i++) {
          int seq = i;
          lane.execute(() -> {
            if (running.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            // plain fields: the lane's hand-over between threads must make these visible
            if (lastSeen[producer] != seq - 1) {
              outOfOrder[0]++;
            }
            lastSeen[producer] = seq;
            running.decrementAndGet();
            all.countDown();
          });
        }
      });
      threads[p].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(all.await(30, TimeUnit.SECONDS), "every task ran");
    assertEquals(0, overlaps.get(), "two tasks ran at once");
    assertEquals(0, outOfOrder[0], "a producer's tasks ran out of order");
  }

  /**
   * A task offered just as the lane finds its queue empty still runs. The producer offers its
   * next task the moment it sees the last one counted (a spin, not a wake-up), and after
   * counting each task lingers 0 to 504 ns, in steps of 8, so the offers sweep across the
   * moment between the lane's last poll and its letting go. There the producer's own attempt to
   * schedule the lane fails: the lane must look again and go on.
   */
  @Test
  void aTaskOfferedAsTheLaneLetsGoStillRuns() {
    WriterLane lane = new WriterLane(pool);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 1; i <= 50_000; i++) {
      long linger = (i % 64) * 8L;
      lane.execute(() -> {
        ran.incrementAndGet();
        long until = System.nanoTime() + linger;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ran.get() < i) {
        if (System.nanoTime() > deadline) {
          fail("task " + i + " never ran: the lane let go of it");
        }
        Thread.onSpinWait();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A pool that counts its tasks and waits for every one of them to have returned. */
  private final class Recording implements Executor {
    final AtomicInteger executed = new AtomicInteger();
    private final List<Future<?>> turns = new CopyOnWriteArrayList<>();

    @Override
    public void execute(Runnable task) {
      executed.incrementAndGet();
      turns.add(pool.submit(task));
    }

    /** Every turn handed to the pool has returned: the lane holds no pool thread. */
    void awaitIdle() throws Exception {
      for (Future<?> turn : turns) {
        turn.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
