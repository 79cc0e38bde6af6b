package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.TokenBucket;
import io.realtime.domain.TopicName;
import io.realtime.port.in.ClientSession;
import io.realtime.port.out.ClientChannel;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.Scheduler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The core's state for one connection: what routing delivers to and what the transport feeds.
 *
 * <p>Threading: the transport's reading thread calls the {@code receive} methods one at a time,
 * so the rate buckets are confined to it; delivery may come from any publishing thread and only
 * touches the channel (thread-safe) and the subscription map (concurrent).
 */
final class ConnectionSession implements ClientSession {
  /** Rejected frames tolerated at once; beyond it, more than one per second closes with 1008. */
  static final int VIOLATIONS_BURST = 10;

  private final ConnectionService service;
  private final ClientChannel channel;
  private final int queueLimitHint;
  private volatile Connection connection;
  private final Map<TopicName, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile long lastSeenNanos;
  private TokenBucket frames;
  private TokenBucket violations;
  private volatile Scheduler.Cancellable expiry = () -> {};

  ConnectionSession(ConnectionService service, Connection connection, ClientChannel channel,
      TokenBucket frames, int queueLimitHint, long nowNanos) {
    this.service = service;
    this.connection = connection;
    this.channel = channel;
    this.frames = frames;
    this.violations = TokenBucket.full(1, VIOLATIONS_BURST, nowNanos);
    this.queueLimitHint = queueLimitHint;
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
    service.receive(this, frame);
  }

  @Override
  public void receiveBinary() {
    service.receiveBinary(this);
  }

  @Override
  public void activity() {
    lastSeenNanos = service.nanoTime();
  }

  @Override
  public void closed(CloseReason reason) {
    service.end(this, reason);
  }

  // --- delivery (any thread) ---

  /** Offers a frame; an overflowing queue closes the connection as a slow consumer. */
  void send(EncodedFrame frame) {
    if (!channel.offer(frame)) {
      if (channel.isOpen() && !ended.get()) {
        overflowed();
      } else {
        service.droppedClosed(this);
      }
    }
  }

  void deliverTopic(TopicName topic, Envelope message, Supplier<EncodedFrame> frame) {
    Subscription subscription = subscriptions.get(topic);
    if (subscription != null) { // else unsubscribed while the publish was routing
      subscription.deliver(message, frame, this);
    }
  }

  void overflowed() {
    service.slowConsumer(this);
  }

  int queueLimitHint() {
    return queueLimitHint;
  }

  /** Closes from the server side; the first close wins, later ones do nothing. */
  void close(CloseCode code) {
    if (service.end(this, code.reason())) {
      channel.close(code, code.text());
    }
  }

  void ping() {
    channel.ping();
  }

  // --- state ---

  ClientChannel channel() {
    return channel;
  }

  void connection(Connection refreshed) {
    connection = refreshed;
  }

  Map<TopicName, Subscription> subscriptions() {
    return subscriptions;
  }

  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  boolean isEnded() {
    return ended.get();
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
