package io.realtime.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.realtime.domain.Envelope;
import io.realtime.domain.Target;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's Redis engine: a command connection and a pub/sub connection to one Redis, the
 * Lua scripts, and the parts built on them ({@link #streams()}, {@link #subscriptions()},
 * {@link #presence()}, {@link #nodes()}, {@link #idempotency()}, {@link #health()}).
 *
 * <p>Lettuce is configured to fail fast: commands are refused while disconnected (no queue
 * that grows during an outage), commands in flight when a connection drops fail at once and
 * are not re-sent after the reconnect (a publish its caller saw fail is never applied behind
 * its back), the request queue is
 * bounded, every command times out after {@link RedisSettings#commandTimeout()} (at most 2 s),
 * and reconnects use a full-jitter backoff between {@link RedisSettings#reconnectMin()} and
 * {@link RedisSettings#reconnectMax()}.
 *
 * <p>Threads: Lettuce's Netty event loops (2) run I/O and complete futures; received messages
 * go to {@link RedisSettings#dispatchThreads()} dispatch threads; one timer thread runs
 * probes, heartbeats and presence refreshes. No engine code blocks a Netty thread.
 * Thread-safe; {@link #close()} says goodbye, stops the timers and closes the connections.
 */
public final class RedisEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

  private final RedisSettings settings;
  private final RedisKeys keys;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final ScheduledExecutorService timer;
  private final ExecutorService dispatch;
  private final Commands commands = new Commands();
  private final RedisHealth health;
  private final RedisTopicStreams streams;
  private final RedisSubscriptions subscriptions;
  private final RedisPresence presence;
  private final RedisNodes nodes;
  private final RedisIdempotency idempotency;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile boolean closed;

  /**
   * @param listener receives what other nodes (and this one, for topics) publish
   * @param load this node's figures for its heartbeats
   */
  public RedisEngine(RedisSettings settings, RedisListener listener,
      Supplier<RedisNodes.NodeLoad> load) {
    this.settings = settings;
    this.keys = new RedisKeys(settings.prefix());
    this.uri = RedisURI.create(settings.url());
    uri.setTimeout(settings.commandTimeout());
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.fullJitter(settings.reconnectMin(), settings.reconnectMax(),
            Math.max(1, settings.reconnectMin().toMillis()), TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // refuse while disconnected; this is also what fails a command in flight at a
        // disconnect at once instead of re-sending it after the reconnect (with
        // ACCEPT_COMMANDS Lettuce re-sent it, filter or not: RedisOutageTest)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .replayFilter(command -> true) // and nothing queued is ever replayed
        .requestQueueSize(settings.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(settings.connectTimeout())
            .keepAlive(true)
            .build())
        .build());
    this.timer = Executors.newSingleThreadScheduledExecutor(
        threads("realtime-redis-timer-" + settings.nodeId()));
    this.dispatch = Executors.newFixedThreadPool(settings.dispatchThreads(),
        threads("realtime-redis-dispatch-" + settings.nodeId()));
    this.health = new RedisHealth(timer);
    this.streams = new RedisTopicStreams(commands, keys, settings);
    this.subscriptions = new RedisSubscriptions(client, uri, keys, settings, commands, streams,
        health, listener, dispatch, timer);
    this.presence = new RedisPresence(commands, keys, settings);
    this.nodes = new RedisNodes(commands, keys, settings, load);
    this.idempotency = new RedisIdempotency(commands, keys, settings);
    client.addListener(new StateListener());
  }

  /**
   * Connects both connections, loads the scripts, subscribes the node's channels and starts
   * the timers. Completes once all of that worked; while Redis is unreachable it keeps
   * trying in the background (health stays down) and completes later.
   */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    connectCommands(new CompletableFuture<>()).thenRun(() ->
        subscriptions.connectUntilDone(subscribed));
    subscribed.whenComplete((r, e) -> {
      if (e == null) {
        schedule();
        started.complete(null);
        log.info("redis.started nodeId={} url={} prefix={}", settings.nodeId(),
            settings.redactedUrl(), settings.prefix());
      } else {
        started.completeExceptionally(e);
      }
    });
    return started.copy();
  }

  private CompletableFuture<Void> connectCommands(CompletableFuture<Void> done) {
    client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().whenComplete((c, e) -> {
      if (e == null) {
        if (closed) {
          c.closeAsync();
          return;
        }
        commands.connection(c);
        health.commands(c.isOpen());
        loadScripts();
        done.complete(null);
        return;
      }
      if (closed) {
        done.completeExceptionally(e);
        return;
      }
      log.warn("redis.connect_failed nodeId={} url={} reason={}", settings.nodeId(),
          settings.redactedUrl(), LuaScript.unwrap(e).toString());
      long delay = ThreadLocalRandom.current().nextLong(settings.reconnectMin().toMillis(),
          settings.reconnectMax().toMillis() + 1);
      timer.schedule(() -> connectCommands(done), delay, TimeUnit.MILLISECONDS);
    });
    return done;
  }

  /** SCRIPT LOAD every script, so EVALSHA rarely needs the EVAL fallback. */
  private void loadScripts() {
    for (LuaScript s : Scripts.ALL) {
      commands.call(r -> r.scriptLoad(s.source).toCompletableFuture())
          .whenComplete((sha, e) -> {
            if (e == null && !s.sha.equals(sha)) {
              log.error("redis.script.sha_mismatch script={} local={} redis={}", s.name, s.sha,
                  sha);
            }
          });
    }
  }

  private void schedule() {
    every(settings.probeInterval().toMillis(), subscriptions::probe);
    every(settings.heartbeatInterval().toMillis(), () -> nodes.heartbeat()
        .whenComplete((r, e) -> logFailure("heartbeat", e)));
    every(settings.presenceRefresh().toMillis(), () -> presence.refresh()
        .whenComplete((r, e) -> logFailure("presence_refresh", e)));
    nodes.heartbeat();
  }

  private void every(long millis, Runnable task) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("redis.timer.failed nodeId={}", settings.nodeId(), e);
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void logFailure(String what, Throwable e) {
    if (e != null && !closed) {
      log.debug("redis.{}.failed nodeId={} reason={}", what, settings.nodeId(),
          LuaScript.unwrap(e).toString());
    }
  }

  public RedisSettings settings() {
    return settings;
  }

  public RedisTopicStreams streams() {
    return streams;
  }

  public RedisSubscriptions subscriptions() {
    return subscriptions;
  }

  public RedisPresence presence() {
    return presence;
  }

  public RedisNodes nodes() {
    return nodes;
  }

  public RedisIdempotency idempotency() {
    return idempotency;
  }

  public RedisHealth health() {
    return health;
  }

  /**
   * Publishes a topic message through its stream (see {@link RedisTopicStreams#publish}) or a
   * broadcast, user or role message on the shared channel; completes with the envelope as
   * published (a topic message with its position as id). Connection messages go to the node
   * that holds the connection: {@link #sendToNode}.
   */
  public CompletableFuture<Envelope> publish(Envelope message) {
    Target t = message.target();
    if (t instanceof Target.Topic) {
      return streams.publish(message);
    }
    if (t instanceof Target.Connection) {
      throw new IllegalArgumentException("connection messages go to a node: sendToNode");
    }
    return commands.publish(keys.sharedChannel(), EnvelopeWire.message(message, settings.nodeId()))
        .thenApply(n -> message);
  }

  /**
   * Sends a command to one node's channel; completes with whether that node is subscribed
   * (false: no such live node, or it lost its subscription).
   */
  public CompletableFuture<Boolean> sendToNode(String nodeId, NodeCommand command) {
    return commands.publish(keys.nodeChannel(nodeId), NodeCommand.encode(command, settings.nodeId()))
        .thenApply(n -> n > 0);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      nodes.goodbye().get(settings.commandTimeout().toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.debug("redis.goodbye.failed nodeId={} reason={}", settings.nodeId(), e.toString());
    }
    timer.shutdownNow();
    subscriptions.close();
    StatefulRedisConnection<String, String> c = commands.connection();
    commands.connection(null);
    if (c != null) {
      c.close();
    }
    client.shutdown(0, 2, TimeUnit.SECONDS);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    dispatch.shutdown();
    try {
      dispatch.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatch.shutdownNow();
    log.info("redis.stopped nodeId={}", settings.nodeId());
  }

  /** Test hook: the subscription manager's probe channel, to make a node lose it. */
  void loseProbeSubscriptionForTest() {
    subscriptions.loseSubscriptionForTest(subscriptions.probeChannelForTest());
  }

  private final class StateListener implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      changed(connection, true);
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      changed(connection, false);
    }

    private void changed(RedisChannelHandler<?, ?> connection, boolean up) {
      if (closed) {
        return;
      }
      if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
        if (subscriptions.isCurrent(connection)) {
          health.subscriptions(up);
        }
      } else if (connection == commands.connection()) {
        health.commands(up);
        if (up) {
          loadScripts(); // a Redis that restarted has forgotten them
        }
      }
      log.info("redis.connection.{} nodeId={} kind={}", up ? "up" : "down", settings.nodeId(),
          connection instanceof StatefulRedisPubSubConnection<?, ?> ? "pubsub" : "commands");
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
