package io.realtime.domain;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A frame the server sends (PROTOCOL.md section 3). {@code ref} is {@code ""} when absent. */
public sealed interface ServerFrame {

  /** First frame of every accepted connection. */
  record Welcome(ConnectionId connectionId, UserId userId, Set<String> roles,
      int heartbeatSeconds) implements ServerFrame {
    public Welcome {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(userId, "userId");
      roles = Set.copyOf(roles);
    }
  }

  /** A delivered application message. */
  record Message(Envelope envelope) implements ServerFrame {
    public Message {
      Objects.requireNonNull(envelope, "envelope");
    }
  }

  /** A request succeeded. */
  record Ack(String ref) implements ServerFrame {
    public Ack {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /** A subscribe with {@code since} succeeded; {@code recovered} says whether nothing was lost. */
  record RecoveryAck(String ref, boolean recovered) implements ServerFrame {
    public RecoveryAck {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /** A request failed; the connection stays open. {@code code} is an {@link ErrorCode}'s wire
   *  value or an application handler's own code. */
  record Error(String ref, String code, String message) implements ServerFrame {
    public Error {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    public static Error of(String ref, ErrorCode code, String message) {
      return new Error(ref, code.wire(), message);
    }
  }

  /** Answer to {@code ping}. */
  record Pong(String ref) implements ServerFrame {
    public Pong {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /** Users who joined or left a topic this connection watches with {@code presence: true}. */
  record Presence(TopicName topic, List<UserId> joins, List<UserId> leaves)
      implements ServerFrame {
    public Presence {
      Objects.requireNonNull(topic, "topic");
      joins = List.copyOf(joins);
      leaves = List.copyOf(leaves);
    }
  }
}
