package io.realtime.bench.load;

import java.util.BitSet;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One generator connection: a Jetty WebSocket listener that follows the protocol's start
 * (welcome, or Socket.IO's open and connect), subscribes when its group is a topic, and then
 * checks every delivered message against its group's sequence.
 *
 * <p>A socket expects the accepted messages of its group numbered in [{@code firstSeq},
 * {@code lastSeq}): from 0 when it was ready before publishing began, else from the group's
 * next number at the moment its welcome arrived (churn); up to the lowest unanswered number
 * when it was asked to leave. Deliveries outside that window are fine (they raced with the
 * join or the leave); inside it, each must arrive exactly once.
 *
 * <p>Public because Jetty calls listener methods through method handles. Threading: Jetty
 * calls the {@code onWebSocket*} methods one at a time per socket; state read by other threads
 * is guarded by {@code this}.
 */
public final class BenchSocket implements Session.Listener.AutoDemanding {
  /** What the fleet hears from its sockets. Called on Jetty's threads; must not block. */
  interface Events {
    /** The socket can receive its group's messages (welcomed, and subscribed if a topic). */
    void ready(BenchSocket socket, long nanos);

    /** The socket could not become ready; {@code reason} is short, for the report. */
    void failed(BenchSocket socket, String reason);

    /** The socket closed; {@code expected} when the generator asked for it. */
    void closed(BenchSocket socket, int code, boolean expected);
  }

  private enum State { CONNECTING, OPENED, READY, LEAVING, CLOSING, CLOSED }

  final int index;
  final int group;
  private final Protocol protocol;
  private final String token;
  private final String topic; // "" when the group is not a topic
  private final Ledger ledger;
  private final Events events;
  private final boolean countsFromZero;
  final long startedNanos;

  private Session session;
  private State state = State.CONNECTING;
  private boolean wasReady;
  private boolean failureReported;
  private final BitSet received = new BitSet();
  private int firstSeq;
  private int lastSeq = Integer.MAX_VALUE;
  private BitSet awaited; // from firstSeq: what a requested leave still waits for; null before

  /**
   * @param countsFromZero the socket will be ready before the first publish, so it expects
   *     its group's messages from sequence 0; otherwise from the group's next number when it
   *     becomes ready
   */
  BenchSocket(int index, int group, Protocol protocol, String token, String topic, Ledger ledger,
      Events events, boolean countsFromZero) {
    this.index = index;
    this.group = group;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.token = Objects.requireNonNull(token, "token");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.events = Objects.requireNonNull(events, "events");
    this.countsFromZero = countsFromZero;
    this.startedNanos = System.nanoTime();
  }

  @Override
  public void onWebSocketOpen(Session s) {
    synchronized (this) {
      session = s;
      state = State.OPENED;
    }
  }

  @Override
  public void onWebSocketText(String text) {
    if (protocol == Protocol.REALTIME) {
      realtime(text);
    } else {
      socketIo(text);
    }
  }

  private void realtime(String text) {
    if (text.startsWith("{\"type\":\"welcome\"")) {
      welcomed();
    } else if (text.startsWith("{\"type\":\"ack\"")) {
      subscribed();
    } else if (text.startsWith("{\"type\":\"error\"")) {
      refused("error frame " + abbreviate(text));
    } else if (!text.startsWith("{\"type\":\"pong\"") && !text.startsWith("{\"type\":\"presence\"")) {
      message(text);
    }
  }

  private void socketIo(String text) {
    if (text.isEmpty()) {
      return;
    }
    switch (text.charAt(0)) {
      case '0' -> send("40{\"token\":\"" + token + "\"}"); // Engine.IO open: now connect with auth
      case '2' -> send("3"); // Engine.IO ping from the server
      case '4' -> socketIoPacket(text);
      default -> { } // 1 close, 6 noop: nothing to do
    }
  }

  private void socketIoPacket(String text) {
    if (text.startsWith("40")) {
      welcomed();
    } else if (text.startsWith("44")) {
      refused("connect_error " + abbreviate(text));
    } else if (text.startsWith("42[\"message\"")) {
      message(text);
    } else if (text.startsWith("42[\"ack\"")) {
      subscribed();
    } else if (text.startsWith("42[\"error_frame\"")) {
      refused("error frame " + abbreviate(text));
    }
  }

  private void welcomed() {
    synchronized (this) {
      if (state != State.OPENED) {
        return;
      }
      if (!countsFromZero) {
        firstSeq = ledger.peekSeq(group);
      }
    }
    if (topic.isEmpty()) {
      ready();
    } else {
      send(protocol.subscribe(topic, "s" + index));
    }
  }

  private void subscribed() {
    ready();
  }

  private void ready() {
    synchronized (this) {
      if (state != State.OPENED) {
        return;
      }
      state = State.READY;
      wasReady = true;
    }
    ledger.joined(group);
    events.ready(this, System.nanoTime());
  }

  private void refused(String reason) {
    boolean starting;
    synchronized (this) {
      starting = state == State.OPENED || state == State.CONNECTING;
    }
    if (starting) {
      reportFailure(reason);
      close(1000, "refused");
    }
  }

  private void message(String text) {
    long now = System.nanoTime();
    Payload.Read read = Payload.read(text);
    if (!read.ok()) {
      return; // not one of ours (an application frame of another kind)
    }
    if (read.group() != group) {
      ledger.misrouted.increment();
      return;
    }
    boolean duplicate;
    boolean leaveNow = false;
    synchronized (this) {
      duplicate = received.get(read.seq());
      if (!duplicate) {
        received.set(read.seq());
        leaveNow = state == State.LEAVING && read.seq() >= firstSeq && read.seq() < lastSeq
            && awaited.get(read.seq() - firstSeq);
        if (leaveNow) {
          awaited.clear(read.seq() - firstSeq);
          leaveNow = awaited.isEmpty();
        }
      }
    }
    if (duplicate) {
      ledger.duplicates.increment();
      return;
    }
    ledger.delivered(read.sentNanos(), now);
    if (leaveNow) {
      close(1000, "churn");
    }
  }

  /**
   * Stops expecting messages numbered from {@code lastSeqExclusive} on, and closes once every
   * accepted message below it has arrived, at once if none is outstanding. The caller closes
   * it after a grace period in any case.
   */
  void leave(int lastSeqExclusive) {
    int waiting;
    synchronized (this) {
      if (state != State.READY) {
        return;
      }
      state = State.LEAVING;
      lastSeq = Math.max(firstSeq, lastSeqExclusive);
      awaited = ledger.accepted(group, firstSeq, lastSeq);
      awaited.andNot(received.get(firstSeq, lastSeq));
      waiting = awaited.cardinality();
    }
    ledger.left(group);
    if (waiting == 0) {
      close(1000, "churn");
    }
  }

  /**
   * Starts the close handshake, keeping the socket's window as it is (at the end of a run,
   * after the drain, every published message counts); later calls do nothing.
   */
  void close(int code, String reason) {
    Session s;
    synchronized (this) {
      if (state == State.CLOSING || state == State.CLOSED || session == null) {
        return;
      }
      if (state == State.READY) {
        ledger.left(group);
      }
      state = State.CLOSING;
      s = session;
    }
    s.close(code, reason, Callback.NOOP);
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    boolean expected;
    boolean starting;
    synchronized (this) {
      expected = state == State.LEAVING || state == State.CLOSING;
      starting = state == State.OPENED || state == State.CONNECTING;
      if (state == State.READY) { // the server closed it: what comes later cannot arrive
        ledger.left(group);
        lastSeq = Math.min(lastSeq, ledger.peekSeq(group));
      }
      state = State.CLOSED;
    }
    if (starting) {
      reportFailure("closed " + statusCode + " before ready");
    }
    events.closed(this, statusCode, expected);
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    boolean starting;
    synchronized (this) {
      starting = state == State.OPENED || state == State.CONNECTING;
    }
    if (starting) {
      reportFailure(Failures.reason(cause));
    }
  }

  /** The connect attempt itself failed (refused, timed out, upgrade answered non-101). */
  void connectFailed(Throwable cause) {
    synchronized (this) {
      state = State.CLOSED;
    }
    reportFailure(Failures.reason(cause));
  }

  private void reportFailure(String reason) {
    synchronized (this) {
      if (failureReported) {
        return;
      }
      failureReported = true;
    }
    events.failed(this, reason);
  }

  private void send(String text) {
    Session s;
    synchronized (this) {
      s = session;
    }
    if (s != null) {
      s.sendText(text, Callback.NOOP);
    }
  }

  /** Accepted messages of this socket's window that never arrived; 0 if it was never ready. */
  synchronized long missing() {
    int to = Math.min(lastSeq, ledger.peekSeq(group));
    if (!wasReady || to <= firstSeq) {
      return 0;
    }
    BitSet expected = ledger.accepted(group, firstSeq, to);
    expected.andNot(received.get(firstSeq, to));
    return expected.cardinality();
  }

  /** Which of {@link #missing()} they are, with the socket's window and state, for a report. */
  synchronized String missingText() {
    int to = Math.min(lastSeq, ledger.peekSeq(group));
    BitSet expected = ledger.accepted(group, firstSeq, Math.max(firstSeq, to));
    expected.andNot(received.get(firstSeq, Math.max(firstSeq, to)));
    return "socket " + index + " group " + group + " missed " + expected + " of [" + firstSeq
        + ", " + (lastSeq == Integer.MAX_VALUE ? "end" : lastSeq) + ") with " + ledger.peekSeq(group)
        + " published, " + state;
  }

  /** Deliveries whose sequence the server never accepted (the POST failed or timed out). */
  synchronized long unacknowledged(BitSet acceptedInGroup) {
    BitSet extra = (BitSet) received.clone();
    extra.andNot(acceptedInGroup);
    return extra.cardinality();
  }

  synchronized boolean wasReady() {
    return wasReady;
  }

  synchronized boolean isReady() {
    return state == State.READY;
  }

  synchronized boolean isClosed() {
    return state == State.CLOSED;
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }
}
