package io.realtime.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels per target on one pub/sub connection: a topic's channel is subscribed while this
 * node has local interest in it (reference counted) and unsubscribed when the last local
 * subscriber leaves; the shared channel (broadcast, user, role), the node's own channel and its
 * probe channel are subscribed for the node's life.
 *
 * <p>Received messages leave the Netty thread at once: each topic's go through one ordered lane
 * of a bounded pool (different topics in parallel). Each lane tracks the last position it
 * delivered; a message that is not the next one in the same epoch has the missing range
 * fetched from the stream and delivered first, or, where the stream no longer reaches back, is
 * reported through {@link RedisListener#historyLost}. Presence changes published on a topic's
 * channel ({@link PresenceChange}) go through the same lane, in order, and leave the positions
 * alone. After Lettuce resubscribes a dropped
 * connection (it does, in one batch), every subscribed topic catches up from its stream even
 * if no new message arrives. A probe published on the node's probe channel every
 * {@link RedisSettings#probeInterval()} must come back within
 * {@link RedisSettings#probeTimeout()}, or the connection is replaced and everything
 * resubscribed in one batch.
 *
 * <p>Thread-safe; no method blocks. Subscription state is guarded by {@code lock}; a topic's
 * position is only touched by its lane.
 */
public final class RedisSubscriptions {
  private static final Logger log = LoggerFactory.getLogger(RedisSubscriptions.class);
  private static final Object CONTROL_LANE = new Object();
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final RedisClient client;
  private final RedisURI uri;
  private final RedisKeys keys;
  private final RedisSettings settings;
  private final Commands commands;
  private final RedisTopicStreams streams;
  private final RedisHealth health;
  private final RedisListener listener;
  private final Executor pool;
  private final ScheduledExecutorService timer;
  private final KeyedSerialExecutor lanes;
  private final Adapter adapter = new Adapter();
  private final List<String> fixedChannels;
  private final String sharedChannel;
  private final String nodeChannel;
  private final String probeChannel;

  private final Object lock = new Object();
  /** Guarded by {@code lock}; null while (re)connecting. */
  private StatefulRedisPubSubConnection<String, String> connection;
  /** Topic channels with local interest; written under {@code lock}, read by the listener. */
  private final Map<String, Interest> interests = new ConcurrentHashMap<>();
  /** Guarded by {@code lock}: subscribe confirmations not yet seen, per channel, in order. */
  private final Map<String, ArrayDeque<CompletableFuture<Void>>> awaiting = new ConcurrentHashMap<>();
  private boolean closed;

  /** The last position delivered per topic; each entry touched only by its topic's lane. */
  private final Map<TopicName, StreamPosition> delivered = new ConcurrentHashMap<>();

  private volatile String probeToken;
  private volatile long probeSentNanos;
  private final AtomicLong probeCounter = new AtomicLong();
  private final AtomicLong probesReturned = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong refilled = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();

  RedisSubscriptions(RedisClient client, RedisURI uri, RedisKeys keys, RedisSettings settings,
      Commands commands, RedisTopicStreams streams, RedisHealth health, RedisListener listener,
      Executor pool, ScheduledExecutorService timer) {
    this.client = client;
    this.uri = uri;
    this.keys = keys;
    this.settings = settings;
    this.commands = commands;
    this.streams = streams;
    this.health = health;
    this.listener = listener;
    this.pool = pool;
    this.timer = timer;
    this.lanes = new KeyedSerialExecutor(pool, settings.dispatchQueue());
    this.sharedChannel = keys.sharedChannel();
    this.nodeChannel = keys.nodeChannel(settings.nodeId());
    this.probeChannel = keys.probeChannel(settings.nodeId());
    this.fixedChannels = List.of(sharedChannel, nodeChannel, probeChannel);
  }

  /**
   * Registers local interest in a topic. The future completes once Redis has confirmed the
   * channel subscription (at once when already confirmed for another local subscriber): a
   * message published anywhere after that reaches this node. It fails with
   * {@link RedisUnavailableException} when Redis does not confirm within the command timeout;
   * the interest is then not registered (do not call {@link #unsubscribe}).
   */
  public CompletableFuture<Void> subscribe(TopicName topic) {
    String channel = keys.topicChannel(topic);
    CompletableFuture<Void> confirmation;
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      Interest existing = interests.get(channel);
      if (existing != null) {
        existing.refs++;
        return existing.confirmation.copy();
      }
      confirmation = new CompletableFuture<>();
      interests.put(channel, new Interest(confirmation));
      awaiting.computeIfAbsent(channel, k -> new ArrayDeque<>()).addLast(confirmation);
      // messages missed while nobody here listened are no gap: start from the next one
      delivered.remove(topic);
      c = connection;
    }
    if (c != null) {
      try {
        c.async().subscribe(channel).whenComplete((r, e) -> {
          if (e != null) {
            fail(channel, confirmation, e);
          }
        });
      } catch (RuntimeException e) {
        fail(channel, confirmation, e);
      }
    }
    timer.schedule(() -> fail(channel, confirmation,
            new RedisUnavailableException("subscription not confirmed in time", null)),
        settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return confirmation.copy();
  }

  /** Drops one local subscriber; the last one's leaving unsubscribes the channel. */
  public CompletableFuture<Void> unsubscribe(TopicName topic) {
    String channel = keys.topicChannel(topic);
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (lock) {
      Interest interest = interests.get(channel);
      if (interest == null || --interest.refs > 0) {
        return DONE;
      }
      interests.remove(channel);
      c = connection;
    }
    // forget the position once the lane has handled what was queued before
    Runnable forget = () -> {
      if (!interests.containsKey(channel)) {
        delivered.remove(topic);
      }
    };
    if (!lanes.submit(topic, () -> {
      forget.run();
      return DONE;
    })) {
      forget.run();
    }
    if (c == null) {
      return DONE; // the next connection subscribes only what has interest
    }
    try {
      return c.async().unsubscribe(channel).toCompletableFuture()
          .<Void>thenApply(x -> null)
          .exceptionallyCompose(e -> CompletableFuture.failedFuture(Commands.translate(e)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Commands.translate(e));
    }
  }

  /** Whether this node holds a confirmed or pending subscription of the topic. */
  public boolean subscribed(TopicName topic) {
    return interests.containsKey(keys.topicChannel(topic));
  }

  /** Topics whose last delivered position is tracked (for tests: none once unsubscribed). */
  int trackedTopicsForTest() {
    return delivered.size();
  }

  /** How many topics this node is subscribed to. */
  public int topicCount() {
    return interests.size();
  }

  /** Counters for metrics and tests. */
  public Stats stats() {
    return new Stats(probesReturned.get(), restarts.get(), dropped.get(), refilled.get(),
        lost.get());
  }

  /**
   * @param probesReturned probes that came back through the subscription
   * @param restarts pub/sub connections replaced because a probe did not come back
   * @param dropped messages dropped because the dispatch queue was full
   * @param refilled topic messages fetched from a stream to fill a gap
   * @param historyLost gaps the stream could not fill
   */
  public record Stats(long probesReturned, long restarts, long dropped, long refilled,
      long historyLost) {}

  private void fail(String channel, CompletableFuture<Void> confirmation, Throwable error) {
    synchronized (lock) {
      ArrayDeque<CompletableFuture<Void>> queue = awaiting.get(channel);
      if (queue == null || !queue.remove(confirmation)) {
        return; // confirmed already (or failed before)
      }
      if (queue.isEmpty()) {
        awaiting.remove(channel);
      }
      Interest interest = interests.get(channel);
      if (interest != null && interest.confirmation == confirmation) {
        // not unsubscribed: should Redis confirm late, the channel simply has no interest
        interests.remove(channel);
      }
    }
    confirmation.completeExceptionally(Commands.translate(error));
  }

  // --- connection lifecycle ---

  /** Opens the pub/sub connection and subscribes every channel in one batch. */
  CompletableFuture<Void> connect() {
    return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
        .thenCompose(c -> {
          c.addListener(adapter);
          List<String> channels = new ArrayList<>(fixedChannels);
          synchronized (lock) {
            if (closed) {
              c.closeAsync();
              return CompletableFuture.failedFuture(new IllegalStateException("closed"));
            }
            connection = c;
            channels.addAll(interests.keySet());
          }
          return c.async().subscribe(channels.toArray(new String[0])).toCompletableFuture()
              .thenRun(() -> {
                health.subscriptions(c.isOpen());
                log.info("redis.subscriptions.connected nodeId={} channels={}",
                    settings.nodeId(), channels.size());
              });
        });
  }

  /** Keeps trying {@link #connect()} with a jittered delay until it works or we close. */
  void connectUntilDone(CompletableFuture<Void> done) {
    connect().whenComplete((r, e) -> {
      if (e == null) {
        done.complete(null);
        return;
      }
      synchronized (lock) {
        if (closed) {
          done.completeExceptionally(new IllegalStateException("closed"));
          return;
        }
        StatefulRedisPubSubConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
          c.removeListener(adapter);
          c.closeAsync();
        }
      }
      log.warn("redis.subscriptions.connect_failed nodeId={} reason={}", settings.nodeId(),
          LuaScript.unwrap(e).toString());
      timer.schedule(() -> connectUntilDone(done), jitter(), TimeUnit.MILLISECONDS);
    });
  }

  /** Whether {@code handler} is the current pub/sub connection (for health events). */
  boolean isCurrent(Object handler) {
    synchronized (lock) {
      return handler == connection;
    }
  }

  private long jitter() {
    long min = settings.reconnectMin().toMillis();
    long max = Math.max(min + 1, settings.reconnectMax().toMillis());
    return ThreadLocalRandom.current().nextLong(min, max);
  }

  /** Replaces the pub/sub connection: its subscription no longer delivers. */
  void restart() {
    StatefulRedisPubSubConnection<String, String> old;
    synchronized (lock) {
      if (closed) {
        return;
      }
      old = connection;
      connection = null;
    }
    restarts.incrementAndGet();
    health.subscriptions(false);
    log.warn("redis.subscriptions.restart nodeId={} reason=probe_timeout", settings.nodeId());
    if (old != null) {
      old.removeListener(adapter);
      old.closeAsync();
    }
    connectUntilDone(new CompletableFuture<>());
  }

  /** Sends the next probe, or restarts when the last one did not come back in time. */
  void probe() {
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (lock) {
      c = connection;
    }
    if (c == null || !c.isOpen()) {
      probeToken = null; // Lettuce is reconnecting it; health already says so
      return;
    }
    String outstanding = probeToken;
    if (outstanding != null) {
      if (System.nanoTime() - probeSentNanos > settings.probeTimeout().toNanos()) {
        probeToken = null;
        health.probe(false);
        restart();
      }
      return;
    }
    String token = settings.nodeId() + ":" + probeCounter.incrementAndGet();
    probeSentNanos = System.nanoTime();
    probeToken = token;
    commands.publish(probeChannel, token).whenComplete((n, e) -> {
      if (e != null && token.equals(probeToken)) {
        probeToken = null; // the command connection is down: not the subscription's fault
      }
    });
  }

  private void probeReturned(String token) {
    if (token.equals(probeToken)) {
      probeToken = null;
      probesReturned.incrementAndGet();
      health.probe(true);
    }
  }

  void close() {
    StatefulRedisPubSubConnection<String, String> c;
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      c = connection;
      connection = null;
      awaiting.values().forEach(pending::addAll);
      awaiting.clear();
      interests.clear();
    }
    pending.forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
    if (c != null) {
      c.removeListener(adapter);
      c.close();
    }
  }

  /** Test hook: makes Redis forget one channel of this node without Lettuce noticing. */
  void loseSubscriptionForTest(String channel) {
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (lock) {
      c = connection;
    }
    if (c != null) {
      c.async().unsubscribe(channel);
    }
  }

  String probeChannelForTest() {
    return probeChannel;
  }

  // --- receiving (Netty thread: hand over, never block) ---

  private final class Adapter extends RedisPubSubAdapter<String, String> {
    @Override
    public void message(String channel, String message) {
      if (channel.equals(probeChannel)) {
        probeReturned(message);
        return;
      }
      Optional<TopicName> topic = keys.topicOfChannel(channel);
      boolean queued;
      if (topic.isPresent()) {
        if (!interests.containsKey(channel)) {
          return; // nobody here listens any more
        }
        TopicName t = topic.get();
        queued = PresenceChange.is(message) // beside positions, never touching them
            ? lanes.submit(t, () -> onPresenceChange(t, message))
            : lanes.submit(t, () -> onTopicMessage(t, message));
      } else if (channel.equals(sharedChannel) || channel.equals(nodeChannel)) {
        queued = lanes.submit(CONTROL_LANE, () -> onControlMessage(channel, message));
      } else {
        return;
      }
      if (!queued && dropped.incrementAndGet() % 1000 == 1) {
        log.warn("redis.dispatch.full nodeId={} dropped={}", settings.nodeId(), dropped.get());
      }
    }

    @Override
    public void subscribed(String channel, long count) {
      CompletableFuture<Void> confirmation = null;
      synchronized (lock) {
        ArrayDeque<CompletableFuture<Void>> queue = awaiting.get(channel);
        if (queue != null) {
          confirmation = queue.pollFirst();
          if (queue.isEmpty()) {
            awaiting.remove(channel);
          }
        }
      }
      if (confirmation != null) {
        CompletableFuture<Void> c = confirmation;
        try {
          pool.execute(() -> c.complete(null)); // callers continue off the event loop
        } catch (RuntimeException closing) {
          c.complete(null);
        }
        return;
      }
      // a resubscription after a reconnect: what was published meanwhile is in the stream
      keys.topicOfChannel(channel).filter(t -> interests.containsKey(channel))
          .ifPresent(t -> lanes.submit(t, () -> catchUp(t)));
    }
  }

  // --- lanes (one topic at a time) ---

  private CompletableFuture<Void> onTopicMessage(TopicName topic, String text) {
    EnvelopeWire.Received r;
    try {
      r = EnvelopeWire.decodeMessage(text);
    } catch (IllegalArgumentException e) {
      log.warn("redis.message.undecodable topic={} reason={}", topic, e.getMessage());
      return DONE;
    }
    Optional<StreamPosition> position = StreamPosition.parse(r.envelope().id());
    if (position.isEmpty()) {
      log.warn("redis.message.unpositioned topic={}", topic);
      return DONE;
    }
    StreamPosition p = position.get();
    StreamPosition last = delivered.get(topic);
    if (last == null || !last.sameEpoch(p)) {
      if (last != null) {
        historyLost(topic, last); // the stream was reset: what came before is gone
      }
      deliver(topic, r, p);
      return DONE;
    }
    if (p.offset() <= last.offset()) {
      return DONE; // already delivered from the stream
    }
    if (p.offset() == last.offset() + 1) {
      deliver(topic, r, p);
      return DONE;
    }
    return streams.read(topic, last).handleAsync((read, e) -> {
      if (e != null) {
        historyLost(topic, last);
      } else {
        fill(topic, last, read, p.offset());
      }
      StreamPosition now = delivered.get(topic);
      if (now == null || !now.sameEpoch(p) || p.offset() > now.offset()) {
        deliver(topic, r, p);
      }
      return null;
    }, pool);
  }

  private CompletableFuture<Void> onPresenceChange(TopicName topic, String text) {
    PresenceChange change;
    try {
      change = PresenceChange.decode(text);
    } catch (IllegalArgumentException e) {
      log.warn("redis.presence.undecodable topic={} reason={}", topic, e.getMessage());
      return DONE;
    }
    try {
      listener.presenceChanged(topic, change.user(), change.joined(), change.origin());
    } catch (RuntimeException e) {
      log.error("redis.listener.failed topic={}", topic, e);
    }
    return DONE;
  }

  private CompletableFuture<Void> catchUp(TopicName topic) {
    StreamPosition last = delivered.get(topic);
    if (last == null) {
      return DONE;
    }
    return streams.read(topic, last).handleAsync((read, e) -> {
      if (e != null) {
        historyLost(topic, last);
      } else {
        fill(topic, last, read, Long.MAX_VALUE);
      }
      return null;
    }, pool);
  }

  /** Delivers the stream's messages after {@code last} and before {@code before}. */
  private void fill(TopicName topic, StreamPosition last, RedisTopicStreams.Read read,
      long before) {
    boolean complete = read.recovered() && read.head().sameEpoch(last);
    long expect = last.offset() + 1;
    for (EnvelopeWire.Received m : read.messages()) {
      StreamPosition mp = StreamPosition.parse(m.envelope().id()).orElseThrow();
      if (!mp.sameEpoch(last) || mp.offset() < expect) {
        continue;
      }
      if (mp.offset() >= before) {
        break;
      }
      if (mp.offset() != expect) {
        complete = false;
      }
      refilled.incrementAndGet();
      deliver(topic, m, mp);
      expect = mp.offset() + 1;
    }
    if (before != Long.MAX_VALUE && expect < before) {
      complete = false;
    }
    if (!complete) {
      historyLost(topic, last);
    }
  }

  private void deliver(TopicName topic, EnvelopeWire.Received r, StreamPosition p) {
    delivered.put(topic, p);
    try {
      listener.topicMessage(r.envelope(), r.origin());
    } catch (RuntimeException e) {
      log.error("redis.listener.failed topic={}", topic, e);
    }
  }

  private void historyLost(TopicName topic, StreamPosition last) {
    lost.incrementAndGet();
    delivered.remove(topic);
    log.warn("redis.history.lost nodeId={} topic={} lastDelivered={}", settings.nodeId(), topic,
        last);
    try {
      listener.historyLost(topic, last);
    } catch (RuntimeException e) {
      log.error("redis.listener.failed topic={}", topic, e);
    }
  }

  private CompletableFuture<Void> onControlMessage(String channel, String text) {
    try {
      if (channel.equals(nodeChannel)) {
        NodeCommand.Received r = NodeCommand.decode(text);
        listener.nodeCommand(r.command(), r.origin());
      } else {
        EnvelopeWire.Received r = EnvelopeWire.decodeMessage(text);
        listener.sharedMessage(r.envelope(), r.origin());
      }
    } catch (IllegalArgumentException e) {
      log.warn("redis.message.undecodable channel={} reason={}", channel, e.getMessage());
    } catch (RuntimeException e) {
      log.error("redis.listener.failed channel={}", channel, e);
    }
    return DONE;
  }

  /** Local interest in one topic channel; guarded by {@code lock}. */
  private static final class Interest {
    final CompletableFuture<Void> confirmation;
    int refs = 1;

    Interest(CompletableFuture<Void> confirmation) {
      this.confirmation = confirmation;
    }
  }

}
