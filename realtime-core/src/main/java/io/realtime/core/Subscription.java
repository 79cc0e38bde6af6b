package io.realtime.core;

import io.realtime.domain.Envelope;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.port.out.EncodedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One connection's subscription to one topic.
 *
 * <p>A subscribe with {@code since} registers the subscription first, then reads the history:
 * live messages arriving in between are held here until the replay is queued, then released
 * unless the replay already held them (their offset is at or before the history's head). That
 * keeps replay-then-live in order without duplicates, and costs the publish path a volatile
 * read. The monitor of this object is taken only while a recovery is in progress.
 */
final class Subscription {
  private final TopicName topic;
  private final boolean presence;
  private volatile boolean recovering;
  private List<Held> held; // guarded by this, only while recovering
  private volatile StreamPosition replayedUpTo; // null: no replay, nothing to deduplicate

  Subscription(TopicName topic, boolean presence, boolean recovering) {
    this.topic = topic;
    this.presence = presence;
    this.recovering = recovering;
    this.held = recovering ? new ArrayList<>() : null;
  }

  TopicName topic() {
    return topic;
  }

  boolean watchesPresence() {
    return presence;
  }

  /** Delivers a live topic message to {@code session}, holding it during a recovery. */
  void deliver(Envelope message, Supplier<EncodedFrame> frame, ConnectionSession session) {
    if (recovering) {
      synchronized (this) {
        if (recovering) {
          if (held.size() >= session.queueLimitHint()) {
            session.overflowed(); // a recovery that outgrows a queue is a slow consumer too
          } else {
            held.add(new Held(message, frame.get()));
          }
          return;
        }
      }
    }
    if (!replayed(message)) {
      session.send(frame.get());
    }
  }

  /** Queues the replay, then what was held meanwhile, then lets live messages through. */
  void finishRecovery(List<EncodedFrame> replay, StreamPosition head, ConnectionSession session) {
    synchronized (this) {
      for (EncodedFrame frame : replay) {
        session.send(frame);
      }
      replayedUpTo = head;
      for (Held h : held) {
        if (!replayed(h.message)) {
          session.send(h.frame);
        }
      }
      held = null;
      recovering = false;
    }
  }

  private boolean replayed(Envelope message) {
    StreamPosition upTo = replayedUpTo;
    if (upTo == null) {
      return false;
    }
    Optional<StreamPosition> p = message.position();
    return p.isPresent() && p.get().sameEpoch(upTo) && p.get().offset() <= upTo.offset();
  }

  private record Held(Envelope message, EncodedFrame frame) {}
}
