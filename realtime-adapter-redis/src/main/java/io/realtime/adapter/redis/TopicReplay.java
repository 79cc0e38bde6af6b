package io.realtime.adapter.redis;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import java.util.List;
import java.util.Objects;

/**
 * What a topic's stream holds after a position, as Redis answered it (the core's
 * {@code Replay} adds the encoded frames once the integration encodes them).
 *
 * @param messages retained messages after the asked position, oldest first, ids positioned
 * @param recovered false when the stream no longer reaches back that far (trimmed or reset)
 * @param head the newest position at the time of reading
 */
public record TopicReplay(List<Envelope> messages, boolean recovered, StreamPosition head) {
  public TopicReplay {
    messages = List.copyOf(messages);
    Objects.requireNonNull(head, "head");
  }
}
