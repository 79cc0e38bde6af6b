package io.realtime.port.out;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import java.util.function.Function;

/**
 * Bounded per-topic history for replay with {@code since}. Thread-safe.
 */
public interface TopicHistory {
  /**
   * Gives a topic message the next position of its topic's stream (as its id) and keeps it,
   * with the frame {@code encode} makes of the positioned message. Appends to one topic get
   * increasing positions; a history that keeps nothing still assigns them.
   */
  StoredMessage append(Envelope message, Function<Envelope, EncodedFrame> encode);

  /** Retained messages after {@code after}; {@code recovered} as PROTOCOL.md section 3 says. */
  Replay since(TopicName topic, StreamPosition after);

  /** Every retained message of the topic, {@code recovered:false}: for an id of no stream. */
  Replay retained(TopicName topic);

  /** Whether this history keeps anything at all; false makes {@code since} unavailable. */
  boolean enabled();
}
