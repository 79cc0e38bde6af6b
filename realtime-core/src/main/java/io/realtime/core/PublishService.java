package io.realtime.core;

import io.realtime.domain.Envelope;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.MessageTypes;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TopicHistory;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Publishing: stamp, store topic messages in the history, route to this node's connections,
 * and hand the envelope to the backplane for the other nodes.
 *
 * <p>The hot path: an index lookup, one encoding per message shared by all recipients, and a
 * non-blocking offer to each recipient's bounded queue. No lock is held while routing.
 */
public final class PublishService implements PublishMessageUseCase {
  private final RoutingTable<ConnectionSession> routes;
  private final FrameCodec codec;
  private final TopicHistory history;
  private final Backplane backplane;
  private final IdGenerator ids;
  private final Clock clock;
  private final RealtimeEvents events;

  PublishService(RoutingTable<ConnectionSession> routes, FrameCodec codec, TopicHistory history,
      Backplane backplane, IdGenerator ids, Clock clock, RealtimeEvents events) {
    this.routes = routes;
    this.codec = codec;
    this.history = history;
    this.backplane = backplane;
    this.ids = ids;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    String problem = MessageTypes.problem(request.type());
    if (problem != null) {
      return new PublishResult.Rejected(ErrorCode.BAD_REQUEST, problem);
    }
    Envelope envelope = new Envelope(
        ids.next(), request.type(), request.payload(), clock.instant(), request.target());
    if (request.target() instanceof Target.Topic) {
      envelope = history.append(envelope);
    }
    int recipients = deliverLocally(envelope);
    backplane.publish(envelope);
    return new PublishResult.Published(envelope.id(), recipients);
  }

  /** Routes an envelope to this node's connections; returns how many it was offered to. */
  int deliverLocally(Envelope envelope) {
    OnceFrame frame = new OnceFrame(codec, envelope);
    int recipients;
    if (envelope.target() instanceof Target.Topic topic) {
      recipients = routes.forEachRecipient(
          topic, session -> session.deliverTopic(topic.name(), envelope, frame));
    } else {
      recipients = routes.forEachRecipient(envelope.target(), session -> session.send(frame.get()));
    }
    events.messageDelivered(envelope.target().kind(), recipients);
    return recipients;
  }

  /** Encodes on first use, then shares: a message with no recipients is never encoded. */
  private static final class OnceFrame implements Supplier<EncodedFrame> {
    private final FrameCodec codec;
    private final Envelope envelope;
    private EncodedFrame frame; // one publishing thread only

    OnceFrame(FrameCodec codec, Envelope envelope) {
      this.codec = codec;
      this.envelope = envelope;
    }

    @Override
    public EncodedFrame get() {
      if (frame == null) {
        frame = codec.encode(new ServerFrame.Message(envelope));
      }
      return frame;
    }
  }
}
