package io.realtime.port.out;

import io.realtime.domain.StreamPosition;
import java.util.List;
import java.util.Objects;

/**
 * What a topic's history holds after a position.
 *
 * @param messages retained messages after the asked position, oldest first
 * @param recovered false when history no longer reaches back that far (trimmed or reset)
 * @param head the newest position at the time of reading: live messages at or before it
 *     were replayed or were older than asked, so the core drops them as duplicates
 */
public record Replay(List<StoredMessage> messages, boolean recovered, StreamPosition head) {
  public Replay {
    messages = List.copyOf(messages);
    Objects.requireNonNull(head, "head");
  }
}
