package io.realtime.core.embedded;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.Replay;
import io.realtime.port.out.StoredMessage;
import io.realtime.port.out.TopicHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
  /** An offset below every real one: a {@code since} of another epoch, or of none. */
  private static final long UNKNOWN = -1;

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
  public StoredMessage append(Envelope message, Function<Envelope, EncodedFrame> encode) {
    TopicName topic = message.topic()
        .orElseThrow(() -> new IllegalArgumentException("not a topic message"));
    if (!enabled()) {
      return stored(message, position(offsets.incrementAndGet()), encode);
    }
    StoredMessage[] out = new StoredMessage[1];
    Instant now = clock.instant();
    streams.compute(topic, (t, s) -> {
      Stream stream = s == null ? new Stream(offsets.get()) : s;
      long offset = offsets.incrementAndGet();
      out[0] = stored(message, position(offset), encode);
      stream.messages.addLast(out[0]);
      stream.head = offset;
      stream.trim(maxMessages, now.minus(maxAge));
      return stream;
    });
    return out[0];
  }

  @Override
  public Replay since(TopicName topic, StreamPosition after) {
    return read(topic, after.epoch().equals(epoch) ? after.offset() : UNKNOWN);
  }

  @Override
  public Replay retained(TopicName topic) {
    return read(topic, UNKNOWN);
  }

  private Replay read(TopicName topic, long after) {
    Instant oldest = clock.instant().minus(maxAge);
    Replay[] out = {new Replay(List.of(), false, StreamPosition.start(epoch))};
    streams.computeIfPresent(topic, (t, stream) -> {
      stream.trim(maxMessages, oldest);
      List<StoredMessage> replay = new ArrayList<>();
      for (StoredMessage m : stream.messages) {
        if (m.position().offset() > after) {
          replay.add(m);
        }
      }
      boolean recovered = after != UNKNOWN && after >= stream.trimmedUpTo && after <= stream.head;
      out[0] = new Replay(replay, recovered, position(stream.head));
      return stream;
    });
    return out[0];
  }

  private static StoredMessage stored(Envelope message, StreamPosition position,
      Function<Envelope, EncodedFrame> encode) {
    Envelope positioned = message.withId(position.id());
    return new StoredMessage(positioned, position, encode.apply(positioned));
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

  private static final class Stream {
    final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();
    long head;
    /** The highest offset this stream does not hold: trimmed, or before it existed. */
    long trimmedUpTo;

    Stream(long createdAt) {
      this.head = createdAt;
      this.trimmedUpTo = createdAt;
    }

    void trim(int maxMessages, Instant oldest) {
      while (!messages.isEmpty() && (messages.size() > maxMessages
          || messages.peekFirst().envelope().timestamp().isBefore(oldest))) {
        trimmedUpTo = messages.removeFirst().position().offset();
      }
    }
  }
}
