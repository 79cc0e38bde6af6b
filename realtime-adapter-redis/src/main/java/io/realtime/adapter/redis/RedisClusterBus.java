package io.realtime.adapter.redis;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.IdempotencyStore;
import io.realtime.port.out.PresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus over one {@link RedisEngine}: topic appends through the topic streams (the
 * publisher's node receives its own messages from its subscription, like every other),
 * broadcast, user and role messages on the shared channel (this node's own skipped on
 * receipt), connection messages, kicks and server-side subscribes on the holding node's
 * channel; presence in {@link RedisPresence}, whose scripts publish each change on the topic's
 * channel (this node's own changes skipped on receipt: the core announced them).
 *
 * <p>Futures complete on this adapter's two callback threads, not on Lettuce's event loops, so
 * the core's continuations (encoding a replay, queueing frames) never run on a Netty thread.
 * Thread-safe; {@link #close()} closes the engine.
 */
public final class RedisClusterBus implements ClusterBus {
  private static final Logger log = LoggerFactory.getLogger(RedisClusterBus.class);
  /** How long a kick or server-side subscribe waits for the holding node's answer. */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

  private final RedisEngine engine;
  private final String nodeId;
  private final ExecutorService callbacks;
  private final PresenceStore presence = new Presence();
  private final AtomicLong requests = new AtomicLong();
  /** Kicks and server-side subscribes waiting for the holding node's answer, by request. */
  private final Map<Long, CompletableFuture<Boolean>> answers = new ConcurrentHashMap<>();
  private volatile Receiver receiver;

  public RedisClusterBus(RedisSettings settings) {
    this.nodeId = settings.nodeId();
    AtomicInteger n = new AtomicInteger();
    this.callbacks = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "realtime-cluster-" + nodeId + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.engine = new RedisEngine(settings, new Listener(), () -> {
      Receiver r = receiver;
      if (r == null) {
        return RedisNodes.NodeLoad.NONE;
      }
      Load load = r.load();
      return new RedisNodes.NodeLoad(load.connections(), load.users(), load.topics());
    });
    engine.presence().onExpired((topic, users) -> log.info(
        "cluster.presence_expired nodeId={} topic={} users={}", nodeId, topic, users.size()));
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void start(Receiver value) {
    if (receiver != null) {
      throw new IllegalStateException("started twice");
    }
    receiver = value;
    engine.start().whenComplete((r, e) -> {
      if (e != null) {
        log.warn("cluster.start_failed nodeId={} reason={}", nodeId, e.toString());
      }
    });
  }

  @Override
  public boolean available() {
    return engine.health().up();
  }

  @Override
  public CompletionStage<Envelope> append(Envelope topicMessage) {
    return off(engine.publish(topicMessage));
  }

  @Override
  public CompletionStage<Void> publishShared(Envelope message) {
    return off(engine.publish(message).thenApply(e -> null));
  }

  @Override
  public CompletionStage<Boolean> sendToNode(String node, Envelope connectionMessage) {
    return off(engine.sendToNode(node, new NodeCommand.Deliver(connectionMessage)));
  }

  @Override
  public CompletionStage<Boolean> kick(String node, ConnectionId connection) {
    return ask(node, request -> new NodeCommand.Kick(connection, request));
  }

  @Override
  public CompletionStage<Boolean> subscribe(String node, ConnectionId connection,
      TopicName topic) {
    return ask(node, request -> new NodeCommand.Subscribe(connection, topic, request));
  }

  /**
   * Sends a command to the node and completes with its answer: whether it held the
   * connection; false at once when no such node listens; failed after {@link #ANSWER_WAIT}.
   */
  private CompletionStage<Boolean> ask(String node, LongFunction<NodeCommand> command) {
    long request = requests.incrementAndGet();
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    answers.put(request, answer);
    answer.orTimeout(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((held, e) -> answers.remove(request));
    engine.sendToNode(node, command.apply(request)).whenComplete((listening, e) -> {
      if (e != null) {
        answer.completeExceptionally(e);
      } else if (!listening) {
        answer.complete(false);
      }
    });
    return off(answer);
  }

  @Override
  public CompletionStage<Void> listen(TopicName topic) {
    return off(engine.subscriptions().subscribe(topic));
  }

  @Override
  public void unlisten(TopicName topic) {
    engine.subscriptions().unsubscribe(topic).whenComplete((r, e) -> {
      if (e != null) {
        log.debug("cluster.unlisten_failed nodeId={} topic={} reason={}", nodeId, topic,
            e.toString());
      }
    });
  }

  @Override
  public CompletionStage<History> since(TopicName topic, StreamPosition after) {
    return off(engine.streams().since(topic, after).thenApply(RedisClusterBus::history));
  }

  @Override
  public CompletionStage<History> retained(TopicName topic) {
    return off(engine.streams().since(topic, "").thenApply(RedisClusterBus::history));
  }

  /**
   * The API's first answers by {@code Idempotency-Key}, shared by the cluster, over this bus's
   * engine (its connection, no other): unavailable until the engine is connected, closed with
   * the bus.
   */
  public IdempotencyStore idempotency() {
    return engine.idempotency();
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public CompletionStage<List<NodeLoad>> nodes() {
    return off(engine.nodes().live().thenApply(live -> live.stream()
        .map(n -> new NodeLoad(n.id(), new Load(n.load().connections(), n.load().users(),
            n.load().topics())))
        .toList()));
  }

  @Override
  public void close() {
    engine.close();
    callbacks.shutdown();
    try {
      callbacks.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    callbacks.shutdownNow();
  }

  private static History history(TopicReplay replay) {
    return new History(replay.messages(), replay.recovered(), replay.head());
  }

  /** The same outcome, handed to the callback threads. */
  private <T> CompletionStage<T> off(CompletableFuture<T> future) {
    CompletableFuture<T> out = new CompletableFuture<>();
    future.whenComplete((value, error) -> {
      try {
        callbacks.execute(() -> {
          if (error != null) {
            out.completeExceptionally(error);
          } else {
            out.complete(value);
          }
        });
      } catch (RuntimeException closing) { // closed: complete where we are
        out.completeExceptionally(closing);
      }
    });
    return out;
  }

  /** The engine's presence, its answers handed to the callback threads. */
  private final class Presence implements PresenceStore {
    @Override
    public CompletionStage<Boolean> join(TopicName topic, UserId user, ConnectionId connection) {
      return off(engine.presence().join(topic, user, connection));
    }

    @Override
    public CompletionStage<Boolean> leave(TopicName topic, UserId user,
        ConnectionId connection) {
      return off(engine.presence().leave(topic, user, connection));
    }

    @Override
    public CompletionStage<Set<UserId>> users(TopicName topic) {
      return off(engine.presence().users(topic));
    }
  }

  private final class Listener implements RedisListener {
    @Override
    public void topicMessage(Envelope message, String originNode) {
      Receiver r = receiver;
      if (r != null) {
        r.topicMessage(message);
      }
    }

    @Override
    public void sharedMessage(Envelope message, String originNode) {
      Receiver r = receiver;
      if (r != null && !nodeId.equals(originNode)) { // the publisher routed its own
        r.sharedMessage(message);
      }
    }

    @Override
    public void nodeCommand(NodeCommand command, String originNode) {
      Receiver r = receiver;
      if (r == null) {
        return;
      }
      if (command instanceof NodeCommand.Deliver d) {
        r.connectionMessage(d.envelope());
      } else if (command instanceof NodeCommand.Kick k) {
        answer(originNode, k.request(), r.kick(k.connection()));
      } else if (command instanceof NodeCommand.Subscribe s) {
        answer(originNode, s.request(), r.subscribe(s.connection(), s.topic()));
      } else if (command instanceof NodeCommand.Answer a) {
        CompletableFuture<Boolean> waiting = answers.remove(a.request());
        if (waiting != null) { // else too late: the asker has answered the API already
          waiting.complete(a.held());
        }
      } else {
        throw new AssertionError(command);
      }
    }

    private void answer(String asker, long request, boolean held) {
      engine.sendToNode(asker, new NodeCommand.Answer(request, held)).whenComplete((r, e) -> {
        if (e != null) {
          log.debug("cluster.answer_failed nodeId={} asker={} reason={}", nodeId, asker,
              e.toString());
        }
      });
    }

    @Override
    public void historyLost(TopicName topic, StreamPosition lastDelivered) {
      log.warn("cluster.history_lost nodeId={} topic={} lastDelivered={}", nodeId, topic,
          lastDelivered.id());
      Receiver r = receiver;
      if (r != null) {
        r.historyLost(topic); // its subscribers resume with since (4004)
      }
    }

    @Override
    public void presenceChanged(TopicName topic, UserId user, boolean joined,
        String originNode) {
      Receiver r = receiver;
      if (r != null && !nodeId.equals(originNode)) { // the node that made it announced it
        List<UserId> changed = List.of(user);
        r.presenceChanged(topic, joined ? changed : List.of(), joined ? List.of() : changed);
      }
    }
  }
}
