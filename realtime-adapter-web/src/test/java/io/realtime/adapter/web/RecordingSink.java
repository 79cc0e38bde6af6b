package io.realtime.adapter.web;

import io.realtime.port.out.EncodedFrame;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FrameSink} that keeps every call. Completion is chosen per test: {@link #inline()}
 * completes each send inside {@code sendText}, {@link #manual()} leaves it to
 * {@link #completeNext()}, {@link #async(Executor)} completes on another thread. The writer
 * runs inline unless {@link #writer} names a thread to run it on.
 */
final class RecordingSink implements FrameSink {
  enum Mode { INLINE, MANUAL, ASYNC }

  private final Mode mode;
  private final Executor executor;
  final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<SendCallback> pending = new ConcurrentLinkedQueue<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final AtomicInteger batched = new AtomicInteger();
  final AtomicInteger pings = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final AtomicBoolean open = new AtomicBoolean(true);
  private final Semaphore sendPermits = new Semaphore(0);
  private final CountDownLatch closed = new CountDownLatch(1);
  volatile int closeCode;
  volatile boolean failSends;
  /** Where {@link #runWriter} runs the queue's writer; null: inline, as the default does. */
  volatile Executor writer;
  final AtomicInteger writerRuns = new AtomicInteger();
  final ConcurrentLinkedQueue<Thread> sendingThreads = new ConcurrentLinkedQueue<>();

  private RecordingSink(Mode mode, Executor executor) {
    this.mode = mode;
    this.executor = executor;
  }

  static RecordingSink inline() {
    return new RecordingSink(Mode.INLINE, null);
  }

  static RecordingSink manual() {
    return new RecordingSink(Mode.MANUAL, null);
  }

  static RecordingSink async(Executor executor) {
    return new RecordingSink(Mode.ASYNC, executor);
  }

  @Override
  public void runWriter(Runnable queueWriter) {
    writerRuns.incrementAndGet();
    Executor on = writer;
    if (on == null) {
      queueWriter.run();
    } else {
      on.execute(queueWriter);
    }
  }

  @Override
  public void sendText(EncodedFrame frame, SendCallback done) {
    sendingThreads.add(Thread.currentThread());
    String text = frame.text();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    sent.add(text);
    events.add("text:" + text);
    sendPermits.release();
    SendCallback tracked = new SendCallback() {
      @Override
      public void succeeded() {
        inFlight.decrementAndGet();
        done.succeeded();
      }

      @Override
      public void failed(Throwable cause) {
        inFlight.decrementAndGet();
        done.failed(cause);
      }
    };
    if (failSends) {
      tracked.failed(new IOException("broken pipe"));
      return;
    }
    switch (mode) {
      case INLINE -> tracked.succeeded();
      case MANUAL -> pending.add(tracked);
      case ASYNC -> executor.execute(tracked::succeeded);
      default -> throw new AssertionError(mode);
    }
  }

  /** Kept in order with the sends; the batch's {@code sendText} reports for it. */
  @Override
  public void sendTextBatched(EncodedFrame frame) {
    if (inFlight.get() != 0) {
      throw new AssertionError("a batched frame while a send is in flight");
    }
    sendingThreads.add(Thread.currentThread());
    batched.incrementAndGet();
    sent.add(frame.text());
    events.add("text:" + frame.text());
    sendPermits.release();
  }

  /** Completes the oldest manual send; false if none is pending. */
  boolean completeNext() {
    SendCallback cb = pending.poll();
    if (cb == null) {
      return false;
    }
    cb.succeeded();
    return true;
  }

  boolean failNext() {
    SendCallback cb = pending.poll();
    if (cb == null) {
      return false;
    }
    cb.failed(new IOException("reset"));
    return true;
  }

  @Override
  public void sendPing() {
    pings.incrementAndGet();
    events.add("ping");
  }

  @Override
  public void close(int code, String reason) {
    closes.incrementAndGet();
    closeCode = code;
    open.set(false);
    events.add("close:" + code);
    closed.countDown();
  }

  /** Waits until {@code n} sends have started in all. */
  boolean awaitSent(int n, Duration timeout) throws InterruptedException {
    return sendPermits.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  List<String> sentList() {
    return new ArrayList<>(sent);
  }

  List<String> eventList() {
    return new ArrayList<>(events);
  }
}
