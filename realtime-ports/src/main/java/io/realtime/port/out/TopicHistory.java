package io.realtime.port.out;

import io.realtime.domain.Envelope;
import io.realtime.domain.TopicName;

/**
 * Bounded per-topic history for replay with {@code since}. Thread-safe; appends to one topic
 * get increasing positions.
 */
public interface TopicHistory {
  /** Stores a topic message; returns it with its stream position as id. */
  Envelope append(Envelope message);

  /** Retained messages after {@code since} (a message id as a client sent it). */
  Replay since(TopicName topic, String since);

  /** Whether this history keeps anything at all; false makes {@code since} unavailable. */
  boolean enabled();
}
