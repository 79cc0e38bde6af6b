package io.realtime.domain;

import java.util.Objects;

/**
 * A decoded client frame. {@code ref} is the client's correlation id, {@code ""} when it sent
 * none; every answer repeats it.
 */
public sealed interface ClientCommand {
  String ref();

  /** {@code ping}: answered with {@code pong}. */
  record Ping(String ref) implements ClientCommand {
    public Ping {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /**
   * {@code subscribe}: the topic as the client wrote it (the core judges the name).
   *
   * @param since the id to replay after, {@code ""} for none
   */
  record Subscribe(String ref, String topic, String since, boolean presence)
      implements ClientCommand {
    public Subscribe {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(since, "since");
    }
  }

  /** {@code unsubscribe}. */
  record Unsubscribe(String ref, String topic) implements ClientCommand {
    public Unsubscribe {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(topic, "topic");
    }
  }

  /** {@code publish}: {@code event} becomes the delivered message's {@code type}. */
  record Publish(String ref, String topic, String event, RawJson payload)
      implements ClientCommand {
    public Publish {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** {@code refresh}: a new token for the same user. */
  record Refresh(String ref, String token) implements ClientCommand {
    public Refresh {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Refresh[ref=" + ref + ", token=<redacted>]";
    }
  }

  /** Any other type, for the application's handler of that type; {@code frame} is all of it. */
  record Custom(String ref, String type, RawJson frame) implements ClientCommand {
    public Custom {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(frame, "frame");
    }
  }

  /** A frame that could not be decoded; {@code message} says which field is wrong. */
  record Malformed(String ref, ErrorCode code, String message) implements ClientCommand {
    public Malformed {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
