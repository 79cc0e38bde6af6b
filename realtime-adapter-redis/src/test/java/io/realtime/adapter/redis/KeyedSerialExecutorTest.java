package io.realtime.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedSerialExecutorTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void tasksOfOneKeyRunInOrderOneAtATime() {
    KeyedSerialExecutor lanes = new KeyedSerialExecutor(pool, 100_000);
    Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<Integer, Boolean> running = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int key = i % 7;
      int n = i;
      assertTrue(lanes.submit(key, () -> {
        if (running.put(key, true) != null) {
          overlaps.add("key " + key);
        }
        seen.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        running.remove(key);
        return done();
      }));
    }
    Eventually.await(Duration.ofSeconds(10), () -> lanes.pending() == 0, () -> "drained");
    assertEquals(List.of(), overlaps);
    for (int key = 0; key < 7; key++) {
      List<Integer> got = seen.get(key);
      for (int k = 1; k < got.size(); k++) {
        assertTrue(got.get(k) > got.get(k - 1), "order of key " + key);
      }
    }
    assertEquals(20_000, seen.values().stream().mapToInt(List::size).sum());
  }

  @Test
  void aKeyWaitsForItsPendingStageWhileOtherKeysGoOn() throws Exception {
    KeyedSerialExecutor lanes = new KeyedSerialExecutor(pool, 100);
    CompletableFuture<Void> slow = new CompletableFuture<>();
    List<String> order = new CopyOnWriteArrayList<>();
    lanes.submit("a", () -> {
      order.add("a1");
      return slow;
    });
    lanes.submit("a", () -> {
      order.add("a2");
      return done();
    });
    CountDownLatch b = new CountDownLatch(1);
    lanes.submit("b", () -> {
      order.add("b1");
      b.countDown();
      return done();
    });
    assertTrue(b.await(5, TimeUnit.SECONDS), "b is not held up by a");
    assertFalse(order.contains("a2"), "a2 waits for a1's stage");
    slow.complete(null);
    Eventually.await(Duration.ofSeconds(5), () -> order.contains("a2"), () -> "a2 after a1");
    assertTrue(order.indexOf("a1") < order.indexOf("a2"));
  }

  @Test
  void beyondCapacityTasksAreRefused() {
    KeyedSerialExecutor lanes = new KeyedSerialExecutor(pool, 2);
    CompletableFuture<Void> hold = new CompletableFuture<>();
    assertTrue(lanes.submit("a", () -> hold));
    assertTrue(lanes.submit("a", KeyedSerialExecutorTest::done));
    assertFalse(lanes.submit("b", KeyedSerialExecutorTest::done));
    hold.complete(null);
    Eventually.await(Duration.ofSeconds(5), () -> lanes.pending() == 0, () -> "drained");
    assertTrue(lanes.submit("b", KeyedSerialExecutorTest::done));
  }
}
