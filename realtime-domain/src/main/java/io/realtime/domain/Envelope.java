package io.realtime.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One published message, as routed between nodes and encoded once for all its recipients.
 *
 * @param id unique message id; for topic messages the id of the stream position its history
 *     assigned ({@link StreamPosition#id()}), which travels beside it typed
 * @param type the application type clients see as {@code type}; never a reserved one
 * @param payload validated JSON, spliced into frames verbatim
 */
public record Envelope(String id, String type, RawJson payload, Instant timestamp, Target target) {
  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(target, "target");
    if (MessageTypes.isReserved(type)) {
      throw new IllegalArgumentException("reserved type: " + type);
    }
  }

  /** The topic of a topic message. */
  public Optional<TopicName> topic() {
    return target instanceof Target.Topic t ? Optional.of(t.name()) : Optional.empty();
  }

  public Envelope withId(String newId) {
    return new Envelope(newId, type, payload, timestamp, target);
  }
}
