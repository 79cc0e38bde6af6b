package io.realtime.port.out;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import java.util.Objects;

/**
 * A topic message as its history keeps it: positioned once (its id is the position's id) and
 * encoded once, so live delivery and every later replay share the same frame.
 */
public record StoredMessage(Envelope envelope, StreamPosition position, EncodedFrame frame) {
  public StoredMessage {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(frame, "frame");
    if (envelope.topic().isEmpty()) {
      throw new IllegalArgumentException("not a topic message: " + envelope.id());
    }
    if (!envelope.id().equals(position.id())) {
      throw new IllegalArgumentException("id " + envelope.id() + " is not position " + position);
    }
  }
}
