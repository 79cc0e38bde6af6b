package io.realtime.port.out;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The store several nodes share (PROTOCOL.md section 8). It positions topic messages and
 * delivers them to every listening node, the publisher's own included, in position order, so
 * a node delivers its topic messages to its subscribers only from {@link Receiver#topicMessage};
 * it carries broadcast, user and role messages to the other nodes (the publisher routes its
 * own), and connection messages, kicks and server-side subscribes to the node that holds the
 * connection.
 *
 * <p>Thread-safe; no method blocks. Futures fail when the store is out of reach, within 2
 * seconds; they complete on the bus's own threads, never on an I/O thread, but continuations
 * should still be short. The receiver is called on the bus's threads: one topic's messages one
 * at a time and in position order.
 */
public interface ClusterBus extends AutoCloseable {
  /** This node's name in the cluster; connection ids start with it and a dot. */
  String nodeId();

  /** Starts receiving (connecting in the background if the store is unreachable); once. */
  void start(Receiver receiver);

  /** Whether the store is reachable right now; false makes publishes fail at once. */
  boolean available();

  /**
   * Positions a topic message atomically with its publish (its id becomes the position) and
   * delivers it to every node listening to the topic; completes with the envelope as
   * positioned. A failed append was delivered nowhere, as far as this node can tell.
   */
  CompletionStage<Envelope> append(Envelope topicMessage);

  /** Carries a broadcast, user or role message to the other nodes. */
  CompletionStage<Void> publishShared(Envelope message);

  /**
   * Carries a connection message to node {@code nodeId}; completes with false when no such
   * node is listening.
   */
  CompletionStage<Boolean> sendToNode(String nodeId, Envelope connectionMessage);

  /**
   * Asks node {@code nodeId} to close one of its connections with 4003; completes with whether
   * that node held the connection (false also when no such node is listening).
   */
  CompletionStage<Boolean> kick(String nodeId, ConnectionId connection);

  /**
   * Asks node {@code nodeId} to subscribe one of its connections to a topic (server-side
   * subscribe); completes with whether that node held the connection (false also when no such
   * node is listening).
   */
  CompletionStage<Boolean> subscribe(String nodeId, ConnectionId connection, TopicName topic);

  /**
   * Makes this node receive the topic's messages; completes once that holds cluster-wide: a
   * message appended anywhere afterwards reaches this node. Counted: one {@link #unlisten} per
   * successful {@code listen}; a failed listen counts nothing.
   */
  CompletionStage<Void> listen(TopicName topic);

  /** Takes back one successful {@link #listen}; the last one stops receiving the topic. */
  void unlisten(TopicName topic);

  /** What the topic's shared history holds after {@code after} (PROTOCOL.md section 3). */
  CompletionStage<History> since(TopicName topic, StreamPosition after);

  /** Every retained message of the topic, {@code recovered:false}: for an id of no stream. */
  CompletionStage<History> retained(TopicName topic);

  /**
   * The cluster's presence, which the core uses instead of its own. A join or leave that
   * changes who is present is carried to the other nodes listening to the topic atomically
   * with the change ({@link Receiver#presenceChanged}); so are the leaves of connections that
   * expired (their node died without a goodbye) and the joins of entries re-added after an
   * outage, to every listening node.
   */
  PresenceStore presence();

  /** The live nodes and the figures of their last heartbeats, ordered by id. */
  CompletionStage<List<NodeLoad>> nodes();

  @Override
  void close();

  /** What a node receives from the cluster. */
  interface Receiver {
    /** A positioned topic message, from any node (this one included). */
    void topicMessage(Envelope message);

    /** A broadcast, user or role message another node published. */
    void sharedMessage(Envelope message);

    /** A connection message for a connection this node holds. */
    void connectionMessage(Envelope message);

    /** Another node's API kicks a connection of this node (4003); false if it is not here. */
    boolean kick(ConnectionId connection);

    /**
     * Another node's API subscribes a connection of this node to a topic; false if it is not
     * here.
     */
    boolean subscribe(ConnectionId connection, TopicName topic);

    /**
     * This node lost messages of the topic that the shared history cannot give back: its
     * subscribers must resume (they are closed with 4004).
     */
    void historyLost(TopicName topic);

    /**
     * Presence changes on a topic this node listens to, one at a time in the store's order:
     * those another node made, and those the store itself found (expiry, re-adds), which no
     * node has announced. A node announces the changes it made itself.
     */
    void presenceChanged(TopicName topic, List<UserId> joins, List<UserId> leaves);

    /** This node's figures, for the cluster's heartbeats. */
    Load load();
  }

  /** One node's figures. */
  record Load(int connections, int users, int topics) {}

  /** A live node and its figures. */
  record NodeLoad(String id, Load load) {
    public NodeLoad {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(load, "load");
    }
  }

  /**
   * A topic's shared history after a position; the core encodes the messages.
   *
   * @param messages retained messages after the asked position, oldest first, positioned
   * @param recovered false when history no longer reaches back that far
   * @param head the newest position at the time of reading
   */
  record History(List<Envelope> messages, boolean recovered, StreamPosition head) {
    public History {
      messages = List.copyOf(messages);
      Objects.requireNonNull(head, "head");
    }
  }
}
