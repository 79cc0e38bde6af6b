package io.realtime.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic streams shared by the cluster: one script per publish assigns the topic's next
 * position, appends the message to the topic's stream and publishes it on the topic's
 * channel, atomically, so the order of positions is the order every subscriber receives.
 *
 * <p>A topic's epoch is created when its meta key is missing (a Redis restarted empty, or a
 * topic idle past {@link RedisSettings#historyMetaTtl()}), so an old position never passes for
 * a new one. Positions are {@code <offset>-<epoch>}, offsets counting 1, 2, 3 per topic.
 *
 * <p>Thread-safe; no method blocks. Futures fail with {@link RedisUnavailableException} when
 * Redis is out of reach, within the command timeout, and complete on a Netty thread.
 */
public final class RedisTopicStreams {
  private static final Logger log = LoggerFactory.getLogger(RedisTopicStreams.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Commands redis;
  private final RedisKeys keys;
  private final RedisSettings settings;

  RedisTopicStreams(Commands redis, RedisKeys keys, RedisSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
  }

  /**
   * Publishes a topic message: stores it (when history is kept) and sends it to every node
   * subscribed to the topic, this one included. The returned envelope carries its position as
   * id. An in-flight publish that loses the connection fails (it may or may not have been
   * applied); it is never replayed by the client library.
   */
  public CompletableFuture<Envelope> publish(Envelope message) {
    TopicName topic = message.topic()
        .orElseThrow(() -> new IllegalArgumentException("not a topic message"));
    String body = EnvelopeWire.body(message, settings.nodeId());
    return redis.<List<Object>>script(Scripts.PUBLISH, ScriptOutputType.MULTI,
        new String[] {keys.meta(topic), keys.stream(topic)},
        keys.topicChannel(topic), body, String.valueOf(settings.historySize()),
        String.valueOf(settings.historyAge().toMillis()),
        String.valueOf(settings.historyMetaTtl().toMillis()), newEpoch())
        .thenApply(reply -> {
          StreamPosition p = new StreamPosition((Long) reply.get(0), (String) reply.get(1));
          return message.withId(p.id());
        });
  }

  /**
   * What the topic's stream holds after {@code since} (PROTOCOL.md section 3):
   * {@code recovered} is true when every message after it is in the replay (none at all when
   * it is the head); false when the stream no longer reaches back (trimmed by count or age),
   * the epoch is another (the stream was reset) or the position is ahead of the head. The
   * replay holds what is retained after the position (everything retained for another epoch),
   * oldest first, at most {@link RedisSettings#historySize()} messages; {@code head} is the
   * newest position at the time of reading.
   */
  public CompletableFuture<TopicReplay> since(TopicName topic, StreamPosition since) {
    return replay(topic, Optional.of(since));
  }

  /** As {@link #since(TopicName, StreamPosition)} for a client's text; junk is another epoch. */
  public CompletableFuture<TopicReplay> since(TopicName topic, String since) {
    return replay(topic, StreamPosition.parse(since));
  }

  /** The newest position of the topic (creating its epoch if it has none). */
  public CompletableFuture<StreamPosition> head(TopicName topic) {
    return read(topic, Optional.empty(), 0).thenApply(Read::head);
  }

  private CompletableFuture<TopicReplay> replay(TopicName topic, Optional<StreamPosition> since) {
    return read(topic, since, settings.historyEnabled() ? settings.historySize() : 0)
        .thenApply(Read::replay);
  }

  /** A read that keeps each message's publishing node, for gap filling. */
  CompletableFuture<Read> read(TopicName topic, StreamPosition since) {
    return read(topic, Optional.of(since),
        settings.historyEnabled() ? settings.historySize() : 0);
  }

  /** What the since script answered, with the node each stored message came from. */
  record Read(StreamPosition head, boolean recovered, List<EnvelopeWire.Received> messages) {
    TopicReplay replay() {
      return new TopicReplay(messages.stream().map(EnvelopeWire.Received::envelope).toList(),
          recovered, head);
    }
  }

  private CompletableFuture<Read> read(TopicName topic, Optional<StreamPosition> since,
      int limit) {
    return redis.<List<Object>>script(Scripts.SINCE, ScriptOutputType.MULTI,
        new String[] {keys.meta(topic), keys.stream(topic)},
        since.isPresent() ? "1" : "0",
        since.map(p -> String.valueOf(p.offset())).orElse("0"),
        since.map(StreamPosition::epoch).orElse(""),
        String.valueOf(settings.historyAge().toMillis()),
        String.valueOf(settings.historyMetaTtl().toMillis()), newEpoch(), String.valueOf(limit))
        .thenApply(RedisTopicStreams::decode);
  }

  private static Read decode(List<Object> reply) {
    String epoch = (String) reply.get(0);
    StreamPosition head = new StreamPosition((Long) reply.get(1), epoch);
    boolean recovered = ((Long) reply.get(2)) == 1L;
    List<EnvelopeWire.Received> messages = new ArrayList<>((reply.size() - 3) / 2);
    for (int i = 3; i + 1 < reply.size(); i += 2) {
      String entryId = (String) reply.get(i);
      long offset = Long.parseLong(entryId, 0, entryId.indexOf('-'), 10);
      String id = new StreamPosition(offset, epoch).id();
      try {
        messages.add(EnvelopeWire.decodeBody(id, (String) reply.get(i + 1)));
      } catch (IllegalArgumentException e) {
        log.warn("history.undecodable id={} reason={}", id, e.getMessage());
      }
    }
    return new Read(head, recovered, messages);
  }

  /** A fresh epoch, used only when the topic has none. */
  static String newEpoch() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    char[] c = new char[8];
    for (int i = 0; i < c.length; i++) {
      c[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
    return new String(c);
  }
}
