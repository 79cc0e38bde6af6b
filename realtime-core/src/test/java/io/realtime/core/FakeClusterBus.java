package io.realtime.core;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.PresenceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A cluster bus in memory whose listens the test completes by hand; appends are positioned at
 * once (epoch {@code e}) but delivered only when the test calls {@link #deliver}. Records what
 * was sent. Thread-safe enough for single-threaded tests.
 */
public final class FakeClusterBus implements ClusterBus {
  public final String nodeId;
  public volatile boolean available = true;
  public ClusterBus.Receiver receiver;
  public final List<Envelope> appended = new ArrayList<>();
  public final List<Envelope> shared = new ArrayList<>();
  public final Map<String, List<Envelope>> sentToNode = new HashMap<>();
  public final Map<TopicName, List<CompletableFuture<Void>>> listens = new HashMap<>();
  public final Map<TopicName, Integer> unlistens = new HashMap<>();
  public final List<Envelope> stream = new ArrayList<>();
  public boolean closed;
  public final FakePresenceStore presence = new FakePresenceStore();
  /** What {@link #nodes()} answers; fails while the bus is unavailable. */
  public volatile List<NodeLoad> heartbeats = List.of();
  private long offset;

  public FakeClusterBus(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void start(Receiver value) {
    receiver = value;
  }

  @Override
  public boolean available() {
    return available;
  }

  @Override
  public synchronized CompletionStage<Envelope> append(Envelope topicMessage) {
    if (!available) {
      return CompletableFuture.failedFuture(new IllegalStateException("down"));
    }
    Envelope positioned = topicMessage.withId(new StreamPosition(++offset, "e").id());
    appended.add(positioned);
    stream.add(positioned);
    return CompletableFuture.completedFuture(positioned);
  }

  /** Hands a positioned message to this node as the store would. */
  public void deliver(Envelope positioned) {
    receiver.topicMessage(positioned);
  }

  @Override
  public synchronized CompletionStage<Void> publishShared(Envelope message) {
    shared.add(message);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Boolean> sendToNode(String node, Envelope message) {
    sentToNode.computeIfAbsent(node, k -> new ArrayList<>()).add(message);
    return CompletableFuture.completedFuture(true);
  }

  public final List<String> kicks = new ArrayList<>();

  @Override
  public synchronized CompletionStage<Boolean> kick(String node, ConnectionId connection) {
    kicks.add(node + " " + connection.value());
    return CompletableFuture.completedFuture(node.equals("node-b"));
  }

  @Override
  public synchronized CompletionStage<Boolean> subscribe(String node, ConnectionId connection,
      TopicName topic) {
    kicks.add(node + " " + connection.value() + " " + topic.value());
    return CompletableFuture.completedFuture(node.equals("node-b"));
  }

  @Override
  public synchronized CompletionStage<Void> listen(TopicName topic) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    listens.computeIfAbsent(topic, k -> new ArrayList<>()).add(f);
    return f;
  }

  /** Completes every pending listen of the topic. */
  public void confirm(String topic) {
    List<CompletableFuture<Void>> pending;
    synchronized (this) {
      pending = new ArrayList<>(listens.getOrDefault(new TopicName(topic), List.of()));
    }
    pending.forEach(f -> f.complete(null));
  }

  /** Fails every pending listen of the topic. */
  public void refuse(String topic) {
    List<CompletableFuture<Void>> pending;
    synchronized (this) {
      pending = new ArrayList<>(listens.getOrDefault(new TopicName(topic), List.of()));
    }
    pending.forEach(f -> f.completeExceptionally(new IllegalStateException("down")));
  }

  @Override
  public synchronized void unlisten(TopicName topic) {
    unlistens.merge(topic, 1, Integer::sum);
  }

  public synchronized int unlistens(String topic) {
    return unlistens.getOrDefault(new TopicName(topic), 0);
  }

  @Override
  public synchronized CompletionStage<History> since(TopicName topic, StreamPosition after) {
    List<Envelope> out = new ArrayList<>();
    for (Envelope e : stream) {
      if (StreamPosition.parse(e.id()).orElseThrow().offset() > after.offset()) {
        out.add(e);
      }
    }
    return CompletableFuture.completedFuture(new History(out, true, head()));
  }

  @Override
  public synchronized CompletionStage<History> retained(TopicName topic) {
    return CompletableFuture.completedFuture(new History(stream, false, head()));
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public CompletionStage<List<NodeLoad>> nodes() {
    if (!available) {
      return CompletableFuture.failedFuture(new IllegalStateException("down"));
    }
    return CompletableFuture.completedFuture(heartbeats);
  }

  private StreamPosition head() {
    return new StreamPosition(offset, "e");
  }

  @Override
  public void close() {
    closed = true;
  }
}
