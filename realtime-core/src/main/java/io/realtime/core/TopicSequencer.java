package io.realtime.core;

import io.realtime.domain.Envelope;
import io.realtime.domain.TopicName;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.StoredMessage;
import io.realtime.port.out.TopicHistory;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts each topic's messages in one order, their position order, for every subscriber, however
 * many threads publish at once. A publisher takes the topic's lane (a map bin lock) only to
 * append to the history and queue the positioned message; the fan-out runs outside it, by
 * whichever publisher finds the lane idle, which drains the lane in order (a hand-off: the
 * others return at once). A lane is dropped when it is idle, so idle topics cost nothing.
 *
 * <p>Thread-safe and lock-free on the fan-out; the lock around an append is held for a history
 * append and a queue offer.
 */
final class TopicSequencer {
  private final TopicHistory history;
  private final Function<Envelope, EncodedFrame> encode;
  private final Consumer<StoredMessage> fanout;
  private final Map<TopicName, Lane> lanes = new ConcurrentHashMap<>();

  /** @param fanout delivers one message; called in position order per topic, one at a time */
  TopicSequencer(TopicHistory history, Function<Envelope, EncodedFrame> encode,
      Consumer<StoredMessage> fanout) {
    this.history = history;
    this.encode = encode;
    this.fanout = fanout;
  }

  /** Positions, keeps and delivers a topic message; returns it as stored. */
  StoredMessage publish(TopicName topic, Envelope message) {
    StoredMessage[] stored = new StoredMessage[1];
    Lane lane = lanes.compute(topic, (t, l) -> {
      Lane current = l == null ? new Lane() : l;
      stored[0] = history.append(message, encode);
      current.pending.offer(stored[0]);
      return current;
    });
    lane.drain(fanout);
    lanes.computeIfPresent(topic, (t, l) -> l.idle() ? null : l);
    return stored[0];
  }

  /** Topics with a lane right now (for tests: idle topics must leave none). */
  int lanes() {
    return lanes.size();
  }

  /** One topic's queue of positioned messages waiting for their fan-out. */
  private static final class Lane {
    final Queue<StoredMessage> pending = new ConcurrentLinkedQueue<>();
    final AtomicInteger drainers = new AtomicInteger();

    /** Delivers what is queued unless another thread is at it; that one delivers ours too. */
    void drain(Consumer<StoredMessage> fanout) {
      if (drainers.getAndIncrement() != 0) {
        return;
      }
      boolean done = false;
      try {
        do {
          StoredMessage next;
          while ((next = pending.poll()) != null) {
            fanout.accept(next);
          }
        } while (drainers.decrementAndGet() != 0);
        done = true;
      } finally {
        if (!done) { // a failed delivery must not wedge the lane: the next publisher drains
          drainers.set(0);
        }
      }
    }

    /** Nothing queued and nobody draining: read under the lane's bin lock. */
    boolean idle() {
      return drainers.get() == 0 && pending.isEmpty();
    }
  }
}
