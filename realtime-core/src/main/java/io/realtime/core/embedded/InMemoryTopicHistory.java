package io.realtime.core.embedded;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.port.out.Replay;
import io.realtime.port.out.TopicHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded history: the newest {@code maxMessages} of each topic, none older than
 * {@code maxAge}, lost on restart (a new epoch, so old ids are answered {@code recovered:false}).
 *
 * <p>Offsets come from one counter for all topics: increasing within each topic, and never
 * reused even after an idle topic's stream is forgotten. Each stream records the highest offset
 * it no longer holds, which tells whether a {@code since} is still covered. A topic's stream is
 * only touched inside {@link ConcurrentHashMap#compute}, a lock per topic held for an append.
 */
public final class InMemoryTopicHistory implements TopicHistory {
  private final int maxMessages;
  private final Duration maxAge;
  private final Clock clock;
  private final String epoch = RandomIdGenerator.randomToken(6);
  private final AtomicLong offsets = new AtomicLong();
  private final Map<TopicName, Stream> streams = new ConcurrentHashMap<>();

  /** @param maxMessages 0 disables history: messages still get positions, nothing is kept */
  public InMemoryTopicHistory(int maxMessages, Duration maxAge, Clock clock) {
    if (maxMessages < 0 || maxAge.isNegative()) {
      throw new IllegalArgumentException("history bounds must not be negative");
    }
    this.maxMessages = maxMessages;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public boolean enabled() {
    return maxMessages > 0 && !maxAge.isZero();
  }

  @Override
  public Envelope append(Envelope message) {
    TopicName topic = message.topic()
        .orElseThrow(() -> new IllegalArgumentException("not a topic message"));
    if (!enabled()) {
      return message.withId(position(offsets.incrementAndGet()).id());
    }
    Envelope[] stored = new Envelope[1];
    Instant now = clock.instant();
    streams.compute(topic, (t, s) -> {
      Stream stream = s == null ? new Stream(offsets.get()) : s;
      long offset = offsets.incrementAndGet();
      stored[0] = message.withId(position(offset).id());
      stream.messages.addLast(new Stored(offset, stored[0]));
      stream.head = offset;
      stream.trim(maxMessages, now.minus(maxAge));
      return stream;
    });
    return stored[0];
  }

  @Override
  public Replay since(TopicName topic, String since) {
    Optional<StreamPosition> asked = StreamPosition.parse(since)
        .filter(p -> p.epoch().equals(epoch));
    Instant oldest = clock.instant().minus(maxAge);
    Replay[] out = {new Replay(List.of(), false, StreamPosition.start(epoch))};
    streams.computeIfPresent(topic, (t, stream) -> {
      stream.trim(maxMessages, oldest);
      long after = asked.map(StreamPosition::offset).orElse(Long.MIN_VALUE);
      List<Envelope> replay = new ArrayList<>();
      for (Stored m : stream.messages) {
        if (m.offset > after) {
          replay.add(m.envelope);
        }
      }
      boolean recovered = asked.isPresent()
          && after >= stream.trimmedUpTo && after <= stream.head;
      out[0] = new Replay(replay, recovered, position(stream.head));
      return stream;
    });
    return out[0];
  }

  /** Forgets messages past their age, and streams left empty. Called by the core's timer. */
  public void sweep() {
    Instant oldest = clock.instant().minus(maxAge);
    for (TopicName topic : streams.keySet()) {
      streams.computeIfPresent(topic, (t, stream) -> {
        stream.trim(maxMessages, oldest);
        return stream.messages.isEmpty() ? null : stream;
      });
    }
  }

  /** How many topics hold messages (for tests and stats). */
  public int topicCount() {
    return streams.size();
  }

  private StreamPosition position(long offset) {
    return new StreamPosition(offset, epoch);
  }

  private record Stored(long offset, Envelope envelope) {}

  private static final class Stream {
    final ArrayDeque<Stored> messages = new ArrayDeque<>();
    long head;
    /** The highest offset this stream does not hold: trimmed, or before it existed. */
    long trimmedUpTo;

    Stream(long createdAt) {
      this.head = createdAt;
      this.trimmedUpTo = createdAt;
    }

    void trim(int maxMessages, Instant oldest) {
      while (!messages.isEmpty() && (messages.size() > maxMessages
          || messages.peekFirst().envelope.timestamp().isBefore(oldest))) {
        trimmedUpTo = messages.removeFirst().offset;
      }
    }
  }
}
