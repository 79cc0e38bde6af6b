package io.realtime.adapter.redis;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything a node receives, in arrival order. */
final class RecordingListener implements RedisListener {
  final List<Envelope> topic = new CopyOnWriteArrayList<>();
  final List<Envelope> shared = new CopyOnWriteArrayList<>();
  final List<String> sharedOrigins = new CopyOnWriteArrayList<>();
  final List<NodeCommand> commands = new CopyOnWriteArrayList<>();
  final List<TopicName> lost = new CopyOnWriteArrayList<>();
  /** Presence changes as {@code topic +user@origin} or {@code topic -user@origin}. */
  final List<String> presence = new CopyOnWriteArrayList<>();

  @Override
  public void topicMessage(Envelope message, String originNode) {
    topic.add(message);
  }

  @Override
  public void sharedMessage(Envelope message, String originNode) {
    shared.add(message);
    sharedOrigins.add(originNode);
  }

  @Override
  public void nodeCommand(NodeCommand command, String originNode) {
    commands.add(command);
  }

  @Override
  public void historyLost(TopicName topic, StreamPosition lastDelivered) {
    lost.add(topic);
  }

  @Override
  public void presenceChanged(TopicName topic, UserId user, boolean joined, String originNode) {
    presence.add(topic + " " + (joined ? "+" : "-") + user.value() + "@" + originNode);
  }

  List<Long> offsets(TopicName name) {
    return topic.stream().filter(e -> e.topic().orElseThrow().equals(name))
        .map(e -> StreamPosition.parse(e.id()).orElseThrow().offset()).toList();
  }

  List<String> ids(TopicName name) {
    return topic.stream().filter(e -> e.topic().orElseThrow().equals(name))
        .map(Envelope::id).toList();
  }
}
