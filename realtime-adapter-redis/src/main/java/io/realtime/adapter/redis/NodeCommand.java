package io.realtime.adapter.redis;

import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.util.Objects;

/** What one node asks of another about a connection the other holds (its node channel). */
public sealed interface NodeCommand {
  /** Deliver a {@code connection} message. */
  record Deliver(Envelope envelope) implements NodeCommand {
    public Deliver {
      if (!(envelope.target() instanceof Target.Connection)) {
        throw new IllegalArgumentException("not a connection message");
      }
    }
  }

  /**
   * Close the connection with 4003 (kick from the server API); the holder answers
   * {@code request} with an {@link Answer}.
   */
  record Kick(ConnectionId connection, long request) implements NodeCommand {
    public Kick {
      Objects.requireNonNull(connection, "connection");
    }
  }

  /**
   * Subscribe the connection to a topic (server-side subscribe); the holder answers
   * {@code request} with an {@link Answer}.
   */
  record Subscribe(ConnectionId connection, TopicName topic, long request)
      implements NodeCommand {
    public Subscribe {
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(topic, "topic");
    }
  }

  /** Whether the node asked by {@code request} held the connection. */
  record Answer(long request, boolean held) implements NodeCommand {}

  /** Wire form: a kind letter, then length-prefixed fields or an envelope message. */
  static String encode(NodeCommand command, String origin) {
    StringBuilder b = new StringBuilder();
    if (command instanceof Deliver d) {
      return b.append('E').append(EnvelopeWire.message(d.envelope(), origin)).toString();
    } else if (command instanceof Kick k) {
      b.append('K');
      EnvelopeWire.field(b, origin);
      EnvelopeWire.field(b, Long.toString(k.request()));
      EnvelopeWire.field(b, k.connection().value());
    } else if (command instanceof Subscribe s) {
      b.append('S');
      EnvelopeWire.field(b, origin);
      EnvelopeWire.field(b, Long.toString(s.request()));
      EnvelopeWire.field(b, s.connection().value());
      EnvelopeWire.field(b, s.topic().value());
    } else if (command instanceof Answer a) {
      b.append('A');
      EnvelopeWire.field(b, origin);
      EnvelopeWire.field(b, Long.toString(a.request()));
      EnvelopeWire.field(b, a.held() ? "1" : "0");
    } else {
      throw new AssertionError(command);
    }
    return b.toString();
  }

  /** A decoded command and the node that sent it. */
  record Received(NodeCommand command, String origin) {}

  static Received decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty node command");
    }
    char kind = text.charAt(0);
    if (kind == 'E') {
      EnvelopeWire.Received r = EnvelopeWire.decodeMessage(text.substring(1));
      return new Received(new Deliver(r.envelope()), r.origin());
    }
    EnvelopeWire.Reader r = new EnvelopeWire.Reader(text);
    r.pos = 1;
    String origin = r.field();
    long request = Long.parseLong(r.field());
    return switch (kind) {
      case 'K' -> new Received(new Kick(new ConnectionId(r.field()), request), origin);
      case 'S' -> new Received(
          new Subscribe(new ConnectionId(r.field()), new TopicName(r.field()), request), origin);
      case 'A' -> new Received(new Answer(request, "1".equals(r.field())), origin);
      default -> throw new IllegalArgumentException("unknown node command " + kind);
    };
  }
}
