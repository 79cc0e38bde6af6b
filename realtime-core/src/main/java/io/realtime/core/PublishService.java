package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.Envelope;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.MessageTypes;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.StoredMessage;
import io.realtime.port.out.TopicHistory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishing: stamp, position topic messages in their history, route to this node's
 * connections, and hand the envelope to the backplane for the other nodes.
 *
 * <p>The hot path: an index lookup, one encoding per message shared by all recipients, and a
 * non-blocking offer to each recipient's bounded queue. No lock is held while routing; a
 * topic's messages go through its {@link TopicSequencer}, so they reach every subscriber in
 * position order.
 *
 * <p>In a cluster ({@link ClusterBus}) a topic message is appended to the shared stream and
 * delivered to this node's subscribers only when the bus hands it back, so every node sees the
 * positions' order; broadcast, user and role messages go to the bus first and are routed here
 * once it took them, so a refused publish reaches nobody; a connection message for a connection
 * held elsewhere goes to the node named in its id. The publishing thread waits for the bus, at
 * most {@link #BUS_WAIT} (the bus itself fails within 2 s): callers are HTTP workers and the
 * connections' reading threads, never the bus's own threads.
 */
final class PublishService implements PublishMessageUseCase {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final FrameCodec codec;
  private final Backplane backplane;
  private final IdGenerator ids;
  private final Clock clock;
  private final RealtimeEvents events;
  private final int holdLimit;
  private final TopicSequencer sequencer;
  private final ClusterBus cluster; // null on a single node

  /** Upper bound of a publisher's wait for the cluster bus. */
  static final long BUS_WAIT_MILLIS = 3_000;

  PublishService(RoutingTable<ConnectionSession, Subscription> routes, FrameCodec codec,
      TopicHistory history, Backplane backplane, IdGenerator ids, Clock clock,
      RealtimeEvents events, int holdLimit, ClusterBus cluster) {
    this.cluster = cluster;
    this.routes = routes;
    this.codec = codec;
    this.backplane = backplane;
    this.ids = ids;
    this.clock = clock;
    this.events = events;
    this.holdLimit = holdLimit;
    this.sequencer = new TopicSequencer(history, this::encode, this::deliverInOrder);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    Optional<String> problem = MessageTypes.problem(request.type());
    if (problem.isPresent()) {
      return new PublishResult.Rejected(ErrorCode.BAD_REQUEST, problem.get());
    }
    Envelope envelope = new Envelope(
        ids.next(), request.type(), request.payload(), clock.instant(), request.target());
    if (cluster != null) {
      return publishToCluster(envelope);
    }
    if (request.target() instanceof Target.Topic topic) {
      int subscribers = routes.subscriberCount(topic.name()); // delivered by the sequencer
      StoredMessage stored;
      try {
        stored = sequencer.publish(topic.name(), envelope);
      } catch (RuntimeException e) { // a history that cannot append: published nowhere
        return new PublishResult.Rejected(ErrorCode.UNAVAILABLE,
            "the topic's history is unavailable; retry later");
      }
      return new PublishResult.Published(stored.envelope().id(), subscribers);
    }
    int recipients = route(envelope);
    backplane.publish(envelope);
    return new PublishResult.Published(envelope.id(), recipients);
  }

  private PublishResult publishToCluster(Envelope envelope) {
    if (!cluster.available()) {
      return unavailable();
    }
    try {
      if (envelope.target() instanceof Target.Topic topic) {
        int subscribers = routes.subscriberCount(topic.name()); // delivered by the bus
        Envelope positioned = await(cluster.append(envelope));
        return new PublishResult.Published(positioned.id(), subscribers);
      }
      if (envelope.target() instanceof Target.Connection connection) {
        int recipients = route(envelope);
        Optional<String> node = ConnectionIds.node(connection.id().value());
        if (recipients == 0 && node.isPresent() && !node.get().equals(cluster.nodeId())) {
          await(cluster.sendToNode(node.get(), envelope));
        }
        return new PublishResult.Published(envelope.id(), recipients);
      }
      await(cluster.publishShared(envelope));
    } catch (Unavailable e) {
      return unavailable();
    }
    return new PublishResult.Published(envelope.id(), route(envelope));
  }

  private static <T> T await(CompletionStage<T> stage) throws Unavailable {
    try {
      return stage.toCompletableFuture().get(BUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new Unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable();
    }
  }

  private static PublishResult unavailable() {
    return new PublishResult.Rejected(ErrorCode.UNAVAILABLE,
        "the cluster's store is unreachable; the message was not published, retry later");
  }

  /** The bus did not take a message in time. */
  private static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable() {
      super(null, null, false, false);
    }
  }

  /** Routes an envelope another node published to this node's connections. */
  void deliverLocally(Envelope envelope) {
    if (envelope.target() instanceof Target.Topic topic) {
      if (routes.subscriberCount(topic.name()) == 0) {
        return; // nobody here: not even encoded
      }
      // parsed once per message, not per recipient; every node positions topic messages
      Optional<StreamPosition> position = StreamPosition.parse(envelope.id());
      position.ifPresent(p -> fanout(new StoredMessage(envelope, p, encode(envelope))));
    } else {
      route(envelope);
    }
  }

  /** Closes the topic's subscribers with 4004: this node lost messages they should have had. */
  void resumeNeeded(TopicName topic) {
    List<ConnectionSession> subscribers = new ArrayList<>();
    routes.forEachSubscriber(topic, (session, subscription) -> subscribers.add(session));
    // closed after the walk: a close takes the session out of the routing table
    subscribers.forEach(session -> session.close(CloseCode.RESUME_NEEDED));
  }

  /** A topic message's fan-out, in position order: this node's subscribers, then the others. */
  private void deliverInOrder(StoredMessage message) {
    fanout(message);
    backplane.publish(message.envelope());
  }

  private void fanout(StoredMessage message) {
    Fanout fanout = new Fanout(events);
    int recipients = routes.forEachSubscriber(message.envelope().topic().orElseThrow(),
        (session, subscription) -> subscription.deliver(session, message, fanout, holdLimit));
    fanout.finish();
    events.messageDelivered(message.envelope().target().kind(), recipients);
  }

  private int route(Envelope envelope) {
    Fanout fanout = new Fanout(events);
    EncodedFrame[] frame = new EncodedFrame[1]; // encoded on first use: no recipient, no cost
    int recipients = routes.forEachRecipient(envelope.target(), session -> {
      if (frame[0] == null) {
        frame[0] = encode(envelope);
      }
      fanout.offer(session, frame[0]);
    });
    fanout.finish();
    events.messageDelivered(envelope.target().kind(), recipients);
    return recipients;
  }

  private EncodedFrame encode(Envelope envelope) {
    return codec.encode(new ServerFrame.Message(envelope));
  }
}
