package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.TokenBucket;
import io.realtime.port.in.ClientSession;
import io.realtime.port.out.ClientChannel;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The core's state for one connection: what routing delivers to and what the transport feeds.
 * Its subscriptions live in the routing table, with the connection's other indexes.
 *
 * <p>Threading: the transport's reading thread calls the {@code receive} methods one at a time,
 * so the rate buckets are confined to it; delivery may come from any publishing thread and only
 * touches the channel, which is thread-safe.
 */
final class ConnectionSession implements ClientSession {
  /** Rejected frames tolerated at once; beyond it, more than one per second closes with 1008. */
  static final int VIOLATIONS_BURST = 10;
  /** A field updated in place, not an AtomicBoolean: one object less per connection. */
  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(ConnectionSession.class, "ended", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConnectionLifecycle lifecycle;
  private final ClientCommands commands;
  private final ClientChannel channel;
  private volatile Connection connection;
  private volatile boolean ended;
  private volatile long lastSeenNanos;
  private TokenBucket frames;
  private TokenBucket violations;
  private volatile Scheduler.Cancellable expiry = () -> {};

  ConnectionSession(ConnectionLifecycle lifecycle, ClientCommands commands,
      Connection connection, ClientChannel channel, TokenBucket frames, long nowNanos) {
    this.lifecycle = lifecycle;
    this.commands = commands;
    this.connection = connection;
    this.channel = channel;
    this.frames = frames;
    this.violations = TokenBucket.full(1, VIOLATIONS_BURST, nowNanos);
    this.lastSeenNanos = nowNanos;
  }

  @Override
  public ConnectionId id() {
    return connection.id();
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public void receiveText(String frame) {
    long now = lifecycle.nanoTime();
    lastSeenNanos = now;
    commands.receive(this, frame, now);
  }

  @Override
  public void receiveBinary() {
    activity();
    commands.receiveBinary(this);
  }

  @Override
  public void activity() {
    lastSeenNanos = lifecycle.nanoTime();
  }

  @Override
  public void closed(CloseReason reason) {
    lifecycle.end(this, reason);
  }

  /** Offers a frame to the outbound queue; false if it is full or closing. Any thread. */
  boolean offer(EncodedFrame frame) {
    return channel.offer(frame);
  }

  /** Offers a frame outside a fan-out: an overflow closes the connection at once. */
  void send(EncodedFrame frame) {
    if (!channel.offer(frame)) {
      lifecycle.undelivered(this);
    }
  }

  /** Whether the connection may still receive: not ended, and its channel open. */
  boolean isOpen() {
    return !ended && channel.isOpen();
  }

  /** Closes from the server side; the first close wins, later ones do nothing. */
  void close(CloseCode code) {
    if (lifecycle.end(this, code.reason())) {
      channel.close(code, code.text());
    }
  }

  void ping() {
    channel.ping();
  }

  void connection(Connection refreshed) {
    connection = refreshed;
  }

  boolean markEnded() {
    return ENDED.compareAndSet(this, false, true);
  }

  boolean isEnded() {
    return ended;
  }

  long lastSeenNanos() {
    return lastSeenNanos;
  }

  void expiry(Scheduler.Cancellable timer) {
    expiry.cancel();
    expiry = timer;
  }

  void cancelExpiry() {
    expiry.cancel();
  }

  /** Takes a frame token; false when the client is over its rate (reading thread only). */
  boolean admitFrame(long nowNanos) {
    TokenBucket.Take take = frames.take(nowNanos);
    frames = take.bucket();
    return take.granted();
  }

  /** Records a rejected frame; false when the client keeps exceeding (reading thread only). */
  boolean tolerateViolation(long nowNanos) {
    TokenBucket.Take take = violations.take(nowNanos);
    violations = take.bucket();
    return take.granted();
  }
}
