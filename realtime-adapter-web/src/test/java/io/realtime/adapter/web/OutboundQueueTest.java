package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.CloseCode;
import io.realtime.port.out.EncodedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
  }

  private static EncodedFrame f(String text) {
    return new EncodedFrame(text);
  }

  @Test
  void framesAreWrittenInOfferOrder() {
    RecordingSink sink = RecordingSink.inline();
    OutboundQueue q = new OutboundQueue(sink, 10);
    for (int i = 0; i < 5; i++) {
      assertTrue(q.offer(f("m" + i)));
    }
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), sink.sentList());
    assertEquals(0, q.size());
  }

  @Test
  void onlyOneBatchIsInFlightAndCompletionSendsEverythingThatWaited() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    q.offer(f("c"));
    assertEquals(List.of("a"), sink.sentList());
    assertEquals(2, q.size());
    assertTrue(sink.completeNext());
    assertEquals(List.of("a", "b", "c"), sink.sentList());
    assertEquals(1, sink.batched.get(), "b goes with c, which carries the batch's callback");
    assertEquals(0, q.size());
    q.offer(f("d"));
    assertEquals(List.of("a", "b", "c"), sink.sentList(), "d waits for the batch");
    assertTrue(sink.completeNext());
    assertTrue(sink.completeNext());
    assertFalse(sink.completeNext());
    assertEquals(List.of("a", "b", "c", "d"), sink.sentList());
    assertEquals(1, sink.maxInFlight.get());
  }

  @Test
  void aBatchHoldsAtMostMaxBatchFrames() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 1_000);
    int waiting = OutboundQueue.MAX_BATCH * 2 + 5;
    for (int i = 0; i <= waiting; i++) {
      q.offer(f("m" + i));
    }
    assertTrue(sink.completeNext());
    assertEquals(1 + OutboundQueue.MAX_BATCH, sink.sentList().size());
    assertEquals(OutboundQueue.MAX_BATCH - 1, sink.batched.get());
    assertEquals(waiting - OutboundQueue.MAX_BATCH, q.size());
    while (sink.completeNext()) {
      // each completion sends the next batch
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= waiting; i++) {
      expected.add("m" + i);
    }
    assertEquals(expected, sink.sentList());
    assertEquals(0, q.size());
  }

  @Test
  void offerIsRefusedBeyondCapacity() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 3);
    assertTrue(q.offer(f("in-flight")));
    assertTrue(q.offer(f("1")));
    assertTrue(q.offer(f("2")));
    assertTrue(q.offer(f("3")));
    assertFalse(q.offer(f("4")), "three wait behind the one in flight: the fourth is refused");
    assertEquals(3, q.size());
    sink.completeNext();
    assertEquals(0, q.size(), "the three went out as one batch");
    assertTrue(q.offer(f("4")), "a batch handed over frees its places");
    assertTrue(q.offer(f("5")));
    assertTrue(q.offer(f("6")));
    assertFalse(q.offer(f("7")));
  }

  @Test
  void flushingCloseWritesQueuedFramesThenCloses() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    q.close(CloseCode.GOING_AWAY, "server shutting down");
    assertFalse(q.offer(f("late")), "closing refuses new frames");
    assertFalse(q.isOpen());
    assertEquals(0, sink.closes.get(), "not before the queue is written");
    sink.completeNext();
    sink.completeNext();
    assertEquals(List.of("text:a", "text:b", "close:1001"), sink.eventList());
  }

  @Test
  void aFlushingCloseWaitsUntilTheClientHasBeenQuiet() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    Linger linger = new Linger(Duration.ofMillis(100), Duration.ofSeconds(2), now::get);
    try {
      RecordingSink sink = RecordingSink.inline();
      OutboundQueue q = new OutboundQueue(sink, 10, linger);
      q.offer(f("rate_limited"));
      q.close(CloseCode.POLICY_VIOLATION, "policy violation");
      for (int i = 0; i < 5; i++) { // the client keeps sending: its frames are read first
        now.addAndGet(Duration.ofMillis(60).toNanos());
        q.inbound();
        assertFalse(sink.awaitClosed(Duration.ofMillis(20)), "closed while the client sent");
      }
      assertEquals(List.of("text:rate_limited"), sink.eventList());
      now.addAndGet(Duration.ofMillis(100).toNanos()); // quiet for the quiet time
      assertTrue(sink.awaitClosed(Duration.ofSeconds(10)));
      assertEquals(List.of("text:rate_limited", "close:1008"), sink.eventList());
    } finally {
      linger.shutdown();
    }
  }

  @Test
  void aLingeringCloseIsBoundedForAClientThatNeverStops() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    Linger linger = new Linger(Duration.ofMillis(100), Duration.ofMillis(500), now::get);
    try {
      RecordingSink sink = RecordingSink.inline();
      OutboundQueue q = new OutboundQueue(sink, 10, linger);
      q.close(CloseCode.GOING_AWAY, "server shutting down");
      for (int i = 0; i < 6; i++) {
        now.addAndGet(Duration.ofMillis(90).toNanos());
        q.inbound();
      }
      assertTrue(sink.awaitClosed(Duration.ofSeconds(10)), "closed at the bound");
      assertEquals(List.of("close:1001"), sink.eventList());
    } finally {
      linger.shutdown();
    }
  }

  @Test
  void aSlowConsumerCloseNeverLingers() {
    Linger linger = new Linger(Duration.ofSeconds(10), Duration.ofSeconds(10), () -> 0L);
    try {
      RecordingSink sink = RecordingSink.inline();
      OutboundQueue q = new OutboundQueue(sink, 10, linger);
      q.close(CloseCode.SLOW_CONSUMER, "slow consumer");
      assertEquals(List.of("close:1013"), sink.eventList());
    } finally {
      linger.shutdown();
    }
  }

  @Test
  void flushingCloseOfAnIdleQueueClosesAtOnce() {
    RecordingSink sink = RecordingSink.inline();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.close(CloseCode.KICKED, "disconnected by the server");
    assertEquals(List.of("text:a", "close:4003"), sink.eventList());
  }

  @Test
  void slowConsumerCloseDropsTheQueueAndClosesWhileASendIsStuck() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("stuck"));
    q.offer(f("dropped-1"));
    q.offer(f("dropped-2"));
    q.close(CloseCode.SLOW_CONSUMER, "slow consumer");
    assertEquals(List.of("text:stuck", "close:1013"), sink.eventList());
    assertEquals(0, q.size());
    sink.completeNext(); // the stuck send finishes late: nothing more is written
    assertEquals(List.of("text:stuck", "close:1013"), sink.eventList());
  }

  @Test
  void closeTwiceClosesOnceWithTheFirstCode() {
    RecordingSink sink = RecordingSink.inline();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.close(CloseCode.TOKEN_EXPIRED, "token expired");
    q.close(CloseCode.KICKED, "kicked");
    assertEquals(1, sink.closes.get());
    assertEquals(4001, sink.closeCode);
  }

  @Test
  void failedSendDropsTheQueueAndClosesTheSink() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    sink.failNext();
    assertEquals(List.of("text:a", "close:1011"), sink.eventList());
    assertFalse(q.offer(f("c")));
    assertEquals(0, q.size());
  }

  @Test
  void sendFailingInlineClosesOnce() {
    RecordingSink sink = RecordingSink.inline();
    sink.failSends = true;
    OutboundQueue q = new OutboundQueue(sink, 10);
    assertTrue(q.offer(f("a")));
    assertFalse(q.offer(f("b")));
    assertEquals(List.of("text:a", "close:1011"), sink.eventList());
  }

  @Test
  void theWriterRunsWhereTheSinkChoosesAndGathersWhatWasOfferedBeforeItRan() throws Exception {
    ExecutorService io = Executors.newSingleThreadExecutor();
    try {
      Thread ioThread = io.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
      RecordingSink sink = RecordingSink.inline();
      sink.writer = io;
      OutboundQueue q = new OutboundQueue(sink, 10);
      CountDownLatch hold = new CountDownLatch(1);
      io.execute(() -> awaitQuietly(hold)); // the I/O thread is busy when the frames come
      q.offer(f("a"));
      q.offer(f("b"));
      q.offer(f("c"));
      assertEquals(List.of(), sink.sentList(), "nothing is written on the offering thread");
      assertEquals(1, sink.writerRuns.get(), "one writer for the three frames");
      hold.countDown();
      assertTrue(sink.awaitSent(3, Duration.ofSeconds(5)));
      assertEquals(List.of("a", "b", "c"), sink.sentList());
      assertEquals(2, sink.batched.get(), "a and b go with c, in one batch");
      assertTrue(sink.sendingThreads.stream().allMatch(t -> t == ioThread));
      q.close(CloseCode.NORMAL, "bye");
      assertTrue(sink.awaitClosed(Duration.ofSeconds(5)));
      assertEquals(0, q.size());
    } finally {
      io.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aBatchedFrameTheSinkRefusesClosesTheQueueOnce() {
    RecordingSink held = RecordingSink.manual();
    AtomicInteger texts = new AtomicInteger();
    OutboundQueue q = new OutboundQueue(new FrameSink() {
      @Override
      public void sendText(EncodedFrame frame, SendCallback done) {
        texts.incrementAndGet();
        held.sendText(frame, done);
      }

      @Override
      public void sendTextBatched(EncodedFrame frame) {
        throw new IllegalStateException("transport bug");
      }

      @Override
      public void sendPing() {}

      @Override
      public void close(int code, String reason) {
        held.close(code, reason);
      }

      @Override
      public boolean isOpen() {
        return held.isOpen();
      }
    }, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    q.offer(f("c"));
    held.completeNext();
    assertEquals(1, texts.get(), "nothing is sent after the refused frame");
    assertEquals(List.of("text:a", "close:1011"), held.eventList());
    assertEquals(0, q.size());
    assertFalse(q.offer(f("d")));
  }

  @Test
  void sinkThrowingIsASendFailureNotAnException() {
    FrameSink throwing = new FrameSink() {
      boolean open = true;

      @Override
      public void sendText(EncodedFrame frame, SendCallback done) {
        throw new IllegalStateException("transport bug");
      }

      @Override
      public void sendTextBatched(EncodedFrame frame) {
        throw new IllegalStateException("transport bug");
      }

      @Override
      public void sendPing() {
        throw new IllegalStateException("transport bug");
      }

      @Override
      public void close(int code, String reason) {
        open = false;
        throw new IllegalStateException("transport bug");
      }

      @Override
      public boolean isOpen() {
        return open;
      }
    };
    OutboundQueue q = new OutboundQueue(throwing, 4);
    q.ping();
    assertTrue(q.offer(f("a")));
    assertFalse(q.isOpen());
    q.close(CloseCode.NORMAL, "bye");
  }

  @Test
  void completionsOnTheCallingThreadLoopInsteadOfRecursing() {
    RecordingSink held = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(new FrameSink() {
      private boolean first = true;

      @Override
      public void sendText(EncodedFrame frame, SendCallback done) {
        if (first) {
          first = false;
          held.sendText(frame, done); // hold the first send so the rest queue up
        } else {
          done.succeeded(); // then every send completes inside sendText
        }
      }

      @Override
      public void sendTextBatched(EncodedFrame frame) {}

      @Override
      public void sendPing() {}

      @Override
      public void close(int code, String reason) {}

      @Override
      public boolean isOpen() {
        return true;
      }
    }, 1_000_000);
    q.offer(f("held"));
    EncodedFrame y = f("y");
    for (int i = 0; i < 640_000; i++) {
      q.offer(y);
    }
    assertEquals(640_000, q.size());
    held.completeNext(); // 10k batches sent inline: a recursive writer would overflow the stack
    assertEquals(0, q.size());
  }

  @Test
  void corkedQueueWritesNothingUntilUncorked() {
    RecordingSink sink = RecordingSink.inline();
    OutboundQueue q = OutboundQueue.corked(sink, 10);
    assertTrue(q.offer(f("welcome")));
    assertTrue(q.offer(f("m1")));
    q.ping();
    assertEquals(List.of(), sink.eventList());
    q.uncork();
    assertEquals(List.of("text:welcome", "text:m1"), sink.eventList());
    q.offer(f("m2"));
    assertEquals("text:m2", sink.eventList().get(2));
  }

  @Test
  void flushingCloseWhileCorkedWritesThenClosesOnUncork() {
    RecordingSink sink = RecordingSink.inline();
    OutboundQueue q = OutboundQueue.corked(sink, 10);
    q.offer(f("welcome"));
    q.close(CloseCode.GOING_AWAY, "server shutting down");
    assertEquals(List.of(), sink.eventList());
    q.uncork();
    assertEquals(List.of("text:welcome", "close:1001"), sink.eventList());
  }

  @Test
  void pingBypassesTheQueueAndStopsOnceClosing() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    q.ping();
    assertEquals(List.of("text:a", "ping"), sink.eventList());
    q.close(CloseCode.GOING_AWAY, "bye");
    q.ping();
    assertEquals(1, sink.pings.get());
  }

  @Test
  void socketClosedDropsEverythingWithoutClosingAgain() {
    RecordingSink sink = RecordingSink.manual();
    OutboundQueue q = new OutboundQueue(sink, 10);
    q.offer(f("a"));
    q.offer(f("b"));
    q.socketClosed();
    assertFalse(q.offer(f("c")));
    q.close(CloseCode.NORMAL, "bye");
    sink.completeNext();
    assertEquals(List.of("text:a"), sink.eventList());
    assertEquals(0, q.size());
  }

  @RepeatedTest(5)
  void concurrentOffersKeepPerThreadOrderWithOneSendInFlight() throws Exception {
    RecordingSink sink = RecordingSink.async(executor);
    OutboundQueue q = new OutboundQueue(sink, 1_000_000);
    int threads = 4;
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          if (!q.offer(f(id + ":" + i))) {
            refused.incrementAndGet();
          }
        }
      });
      th.start();
      producers.add(th);
    }
    start.countDown();
    for (Thread th : producers) {
      th.join(TimeUnit.SECONDS.toMillis(20));
      assertFalse(th.isAlive(), "producer finished");
    }
    assertEquals(0, refused.get());
    assertTrue(sink.awaitSent(threads * perThread, Duration.ofSeconds(20)));
    assertEquals(threads * perThread, sink.sent.size(), "every accepted frame was written");
    assertEquals(1, sink.maxInFlight.get(), "exactly one send in flight at any time");
    Map<String, Integer> last = new HashMap<>();
    for (String s : sink.sentList()) {
      String[] parts = s.split(":");
      int seq = Integer.parseInt(parts[1]);
      Integer prev = last.put(parts[0], seq);
      assertEquals(prev == null ? 0 : prev + 1, seq, "per-thread order for thread " + parts[0]);
    }
  }

  @RepeatedTest(5)
  void concurrentOffersNeverExceedCapacity() throws Exception {
    RecordingSink sink = RecordingSink.manual();
    int capacity = 100;
    OutboundQueue q = new OutboundQueue(sink, capacity);
    AtomicInteger accepted = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      executor.execute(() -> {
        for (int i = 0; i < 1000; i++) {
          if (q.offer(f("x"))) {
            accepted.incrementAndGet();
          }
        }
        done.countDown();
      });
    }
    // the fourth task runs when a pool thread frees up: the pool has three
    assertTrue(done.await(20, TimeUnit.SECONDS));
    // the first batch takes every frame offered while it forms, up to MAX_BATCH, and nothing
    // completes it here: exactly `capacity` wait behind it
    int inFlight = sink.sentList().size();
    assertTrue(inFlight >= 1 && inFlight <= OutboundQueue.MAX_BATCH, "in flight: " + inFlight);
    assertEquals(capacity + inFlight, accepted.get(), "capacity waiting plus the batch in flight");
    assertEquals(capacity, q.size());
  }

  @Test
  void closeRacingOffersStillClosesExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      RecordingSink sink = RecordingSink.async(executor);
      OutboundQueue q = new OutboundQueue(sink, 1000);
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(2);
      executor.execute(() -> {
        await(go);
        for (int i = 0; i < 200; i++) {
          q.offer(f("m"));
        }
        done.countDown();
      });
      executor.execute(() -> {
        await(go);
        q.close(CloseCode.GOING_AWAY, "bye");
        done.countDown();
      });
      go.countDown();
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertTrue(sink.awaitClosed(Duration.ofSeconds(10)), "round " + round);
      assertEquals(1, sink.closes.get(), "round " + round);
      List<String> events = sink.eventList();
      assertEquals("close:1001", events.get(events.size() - 1), "close comes last");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
