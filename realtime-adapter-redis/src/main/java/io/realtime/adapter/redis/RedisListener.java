package io.realtime.adapter.redis;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;

/**
 * What a node receives from the cluster. Called on the engine's dispatch threads, never on a
 * Netty thread; messages of one topic one at a time and in position order, different topics
 * in parallel. Shared and node-channel messages come one at a time in arrival order. Each
 * message carries the node that published it: topic messages come back to their publisher
 * too (so every node sees one order), the others can be skipped by it.
 *
 * <p>Implementations should not block for long: a topic's next message waits for them.
 */
public interface RedisListener {
  /** A topic message, its id its position; exactly once and in order per subscription. */
  void topicMessage(Envelope message, String originNode);

  /** A broadcast, user or role message. */
  void sharedMessage(Envelope message, String originNode);

  /** A command for a connection this node holds. */
  void nodeCommand(NodeCommand command, String originNode);

  /**
   * Messages of the topic after {@code lastDelivered} were lost and the stream cannot give
   * them back (trimmed, or the stream was reset): the connections subscribed to it should be
   * closed with 4004 so their clients resume with {@code since}.
   */
  void historyLost(TopicName topic, StreamPosition lastDelivered);

  /**
   * A user became present on a topic this node listens to ({@code joined}) or left it; in the
   * order the changes were made. {@code originNode} made the change; empty when a script found
   * it (an expired connection) or restored it (a refresh after an outage).
   */
  void presenceChanged(TopicName topic, UserId user, boolean joined, String originNode);
}
