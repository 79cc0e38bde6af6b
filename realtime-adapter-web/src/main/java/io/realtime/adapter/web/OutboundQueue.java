package io.realtime.adapter.web;

import io.realtime.domain.CloseCode;
import io.realtime.port.out.ClientChannel;
import io.realtime.port.out.EncodedFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's bounded outbound queue over a transport's {@link FrameSink}: the
 * {@link ClientChannel} both transports hand to the core.
 *
 * <p>Threading: lock-free multi-producer, single-writer. Any thread may {@link #offer}; frames
 * from one thread are written in the order it offered them. A CAS-guarded "writing" flag makes
 * exactly one batch be in flight at a time: every frame that waited while the previous one was
 * being written, up to {@link #MAX_BATCH}, handed over together ({@link
 * FrameSink#sendTextBatched}, then one {@link FrameSink#sendText}) so that the transport can
 * gather them into one write. Its completion starts the next, looping (not recursing) when a
 * send completes on the calling thread. The writing starts where the sink {@linkplain
 * FrameSink#runWriter chooses}: inline, or on the socket's {@link WriterLane}. No method
 * blocks, takes a lock, or throws on the transport's account.
 *
 * <p>Capacity counts frames waiting behind the batch in flight (so the transport holds at most
 * {@link #MAX_BATCH} more). {@link #offer} refuses when the
 * queue is full (the core then closes the connection as a slow consumer) or once closing.
 * {@link #close} with a code that {@linkplain CloseCode#flushesQueue() flushes} writes what is
 * queued first, then closes, once the client has gone quiet ({@link Linger}: bounded, so that
 * closing never resets a socket with client frames still unread); otherwise it drops the
 * queue and closes at once. A failed send drops the queue and closes the sink with 1011.
 *
 * <p>A queue made {@linkplain #corked(FrameSink, int) corked} accepts frames but writes
 * nothing until {@link #uncork()}: the bridge holds the {@code welcome} until the core has
 * finished opening
 * the connection, so a client never sees its welcome before the connection is routable.
 */
public final class OutboundQueue implements ClientChannel {
  /** Close code after a failed write: the socket is likely gone, the code is for the log. */
  static final int SEND_FAILED = 1011;
  /** Frames handed over in one batch at most: bounds what one writer does for one socket. */
  public static final int MAX_BATCH = 64;

  private static final Logger log = LoggerFactory.getLogger(OutboundQueue.class);
  // one queue per connection: plain fields updated through VarHandles, not an atomic object
  // each (80 bytes a connection, issue 14)
  private static final VarHandle SIZE;
  private static final VarHandle WRITING;
  private static final VarHandle CLOSING;
  private static final VarHandle CLOSE_SENT;
  private static final VarHandle SEND_STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SIZE = lookup.findVarHandle(OutboundQueue.class, "size", int.class);
      WRITING = lookup.findVarHandle(OutboundQueue.class, "writing", boolean.class);
      CLOSING = lookup.findVarHandle(OutboundQueue.class, "closing", Closing.class);
      CLOSE_SENT = lookup.findVarHandle(OutboundQueue.class, "closeSent", boolean.class);
      SEND_STATE = lookup.findVarHandle(InFlight.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final FrameSink sink;
  private final int capacity;
  private final ConcurrentLinkedQueue<EncodedFrame> frames = new ConcurrentLinkedQueue<>();
  private volatile int size;
  private volatile boolean writing;
  private volatile Closing closing;
  private volatile boolean closeSent;
  private final InFlight inFlight = new InFlight();
  private final Runnable writer = this::drain;
  private final Linger linger;
  private volatile boolean corked;
  private volatile long lastInboundNanos;

  /** @param capacity frames that may wait behind the one being written (REALTIME_SEND_QUEUE) */
  public OutboundQueue(FrameSink sink, int capacity) {
    this(sink, capacity, Linger.NONE);
  }

  OutboundQueue(FrameSink sink, int capacity, Linger linger) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.linger = Objects.requireNonNull(linger, "linger");
    this.lastInboundNanos = linger.now();
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  /** A queue that holds every write until {@link #uncork()}. */
  public static OutboundQueue corked(FrameSink sink, int capacity) {
    return corked(sink, capacity, Linger.NONE);
  }

  static OutboundQueue corked(FrameSink sink, int capacity, Linger linger) {
    OutboundQueue q = new OutboundQueue(sink, capacity, linger);
    q.corked = true;
    return q;
  }

  /** The client sent something (a frame, a pong): a lingering close waits for quiet. */
  public void inbound() {
    lastInboundNanos = linger.now();
  }

  /** Starts writing what was offered while corked, in order; later calls do nothing. */
  public void uncork() {
    corked = false;
    pump();
  }

  @Override
  public boolean offer(EncodedFrame frame) {
    Objects.requireNonNull(frame, "frame");
    if (closing != null) {
      return false;
    }
    if ((int) SIZE.getAndAdd(this, 1) + 1 > capacity) {
      SIZE.getAndAdd(this, -1);
      return false;
    }
    frames.offer(frame);
    pump();
    return true;
  }

  @Override
  public void close(CloseCode code, String reason) {
    Closing c = new Closing(code.code(), reason, code.flushesQueue());
    if (!CLOSING.compareAndSet(this, null, c)) {
      return;
    }
    if (c.flush) {
      pump(); // the writer closes once the queue is empty
    } else {
      discard();
      closeOnce(c); // even while a send is stuck: a slow consumer must not hold the close
    }
  }

  @Override
  public void ping() {
    if (!corked && closing == null && sink.isOpen()) {
      try {
        sink.sendPing();
      } catch (RuntimeException e) {
        log.debug("ws.ping_failed error={}", e.toString());
      }
    }
  }

  @Override
  public boolean isOpen() {
    return closing == null && sink.isOpen();
  }

  /** The socket is gone (the transport saw it close): drop what is queued, send nothing more. */
  public void socketClosed() {
    closeSent = true;
    CLOSING.compareAndSet(this, null, new Closing(1006, "socket closed", false));
    discard();
  }

  /** Frames waiting behind the one in flight. */
  public int size() {
    return Math.max(0, size);
  }


  private void pump() {
    // an offer that sees `corked` leaves its frame to uncork(), which pumps after clearing it
    if (!corked && WRITING.compareAndSet(this, false, true)) {
      sink.runWriter(writer);
    }
  }

  /** Writes until the queue is empty or a send completes later. Caller holds {@code writing}. */
  private void drain() {
    int batched = 0;
    while (true) {
      Closing c = closing;
      if (c != null && !c.flush) {
        discard();
        closeOnce(c);
        return; // keeps `writing`: nothing is ever sent again
      }
      EncodedFrame next = frames.poll();
      if (next == null) {
        if (c != null) {
          lingerThenClose(c);
          return;
        }
        writing = false;
        // an offer or close that found us writing left the work to us: look again
        if (frames.isEmpty() && closing == null) {
          return;
        }
        if (!WRITING.compareAndSet(this, false, true)) {
          return; // another thread took over
        }
        continue;
      }
      SIZE.getAndAdd(this, -1);
      if (batched < MAX_BATCH - 1 && !frames.isEmpty()) {
        if (!batch(next)) {
          return; // refused: the queue is closed and keeps `writing`
        }
        batched++;
        continue;
      }
      batched = 0;
      if (!send(next)) {
        return; // the callback resumes the loop, or the send failed
      }
    }
  }

  /** False when the sink refused the frame: the queue is then closed. */
  private boolean batch(EncodedFrame frame) {
    try {
      sink.sendTextBatched(frame);
      return true;
    } catch (RuntimeException e) {
      failed(e);
      return false;
    }
  }

  /** True when the send completed on this thread and the loop should go on. */
  private boolean send(EncodedFrame frame) {
    inFlight.state = InFlight.SENDING;
    try {
      sink.sendText(frame, inFlight);
    } catch (RuntimeException e) {
      inFlight.failed(e);
    }
    // SENDING -> RETURNED: completion comes later and resumes the loop itself
    return !inFlight.compareAndSet(InFlight.SENDING, InFlight.RETURNED)
        && inFlight.state == InFlight.DONE_INLINE;
  }

  private void failed(Throwable cause) {
    log.debug("ws.send_failed error={}", String.valueOf(cause));
    Closing c = new Closing(SEND_FAILED, "send failed", false);
    CLOSING.compareAndSet(this, null, c);
    discard();
    closeOnce(c);
  }

  private void discard() {
    int n = 0;
    while (frames.poll() != null) {
      n++;
    }
    if (n > 0) {
      SIZE.getAndAdd(this, -n);
    }
  }

  /** Everything queued is written: close once the client is quiet (see {@link Linger}). */
  private void lingerThenClose(Closing c) {
    linger.close(() -> lastInboundNanos, () -> closeOnce(c));
  }

  private void closeOnce(Closing c) {
    if (CLOSE_SENT.compareAndSet(this, false, true)) {
      try {
        sink.close(c.code, c.reason);
      } catch (RuntimeException e) {
        log.debug("ws.close_failed code={} error={}", c.code, e.toString());
      }
    }
  }

  private record Closing(int code, String reason, boolean flush) {}

  /** The callback of the one send in flight, reused: there is never a second one. */
  private final class InFlight implements FrameSink.SendCallback {
    static final int SENDING = 0;
    static final int RETURNED = 1;
    static final int DONE_INLINE = 2;
    static final int FINISHED = 3;
    static final int FAILED = 4;

    volatile int state = FINISHED;

    boolean compareAndSet(int expected, int next) {
      return SEND_STATE.compareAndSet(this, expected, next);
    }

    @Override
    public void succeeded() {
      if (compareAndSet(SENDING, DONE_INLINE)) {
        return; // completed inside sendText: the loop there goes on
      }
      if (compareAndSet(RETURNED, FINISHED)) {
        drain(); // we still hold `writing`
      }
    }

    @Override
    public void failed(Throwable cause) {
      int s = state;
      if ((s == SENDING || s == RETURNED) && compareAndSet(s, FAILED)) {
        OutboundQueue.this.failed(cause);
      } else if (s == SENDING || s == RETURNED) {
        failed(cause); // raced with our own state change: decide again
      }
    }
  }
}
