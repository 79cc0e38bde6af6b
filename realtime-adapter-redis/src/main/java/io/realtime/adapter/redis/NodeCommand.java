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

  /** Close the connection with 4003 (kick from the server API). */
  record Kick(ConnectionId connection) implements NodeCommand {
    public Kick {
      Objects.requireNonNull(connection, "connection");
    }
  }

  /** Subscribe the connection to a topic (server-side subscribe). */
  record Subscribe(ConnectionId connection, TopicName topic) implements NodeCommand {
    public Subscribe {
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(topic, "topic");
    }
  }

  /** Wire form: a kind letter, then length-prefixed fields or an envelope message. */
  static String encode(NodeCommand command, String origin) {
    StringBuilder b = new StringBuilder();
    if (command instanceof Deliver d) {
      return b.append('E').append(EnvelopeWire.message(d.envelope(), origin)).toString();
    } else if (command instanceof Kick k) {
      b.append('K');
      EnvelopeWire.field(b, origin);
      EnvelopeWire.field(b, k.connection().value());
    } else if (command instanceof Subscribe s) {
      b.append('S');
      EnvelopeWire.field(b, origin);
      EnvelopeWire.field(b, s.connection().value());
      EnvelopeWire.field(b, s.topic().value());
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
    ConnectionId connection = new ConnectionId(r.field());
    return switch (kind) {
      case 'K' -> new Received(new Kick(connection), origin);
      case 'S' -> new Received(new Subscribe(connection, new TopicName(r.field())), origin);
      default -> throw new IllegalArgumentException("unknown node command " + kind);
    };
  }
}
