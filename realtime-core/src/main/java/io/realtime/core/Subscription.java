package io.realtime.core;

import io.realtime.domain.StreamPosition;
import io.realtime.port.out.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's subscription to one topic, kept in the routing table beside its membership.
 *
 * <p>A subscribe with {@code since} registers the subscription first, then reads the history:
 * live messages arriving in between are held here until the replay is queued, then released
 * unless the replay already held them (their position is at or before the history's head). That
 * keeps replay-then-live in order without duplicates, and costs the publish path a volatile
 * read. The monitor of this object is taken only while a recovery is in progress.
 */
final class Subscription {
  private final boolean presence;
  private volatile boolean recovering;
  private List<StoredMessage> held; // guarded by this, only while recovering
  private volatile StreamPosition replayedUpTo; // null: no replay, nothing to deduplicate
  private boolean listened; // cluster: the bus's listen succeeded; guarded by this
  private boolean removed; // cluster: the subscription left the routing table; guarded by this

  private Subscription(boolean presence, boolean recovering) {
    this.presence = presence;
    this.recovering = recovering;
    this.held = recovering ? new ArrayList<>() : null;
  }

  static Subscription live(boolean presence) {
    return new Subscription(presence, false);
  }

  /** A subscription that holds live messages until {@link #finishRecovery}. */
  static Subscription recovering(boolean presence) {
    return new Subscription(presence, true);
  }

  boolean watchesPresence() {
    return presence;
  }

  /**
   * Delivers a live topic message, in position order, holding it during a recovery; a hold
   * that outgrows {@code holdLimit} makes the session a slow consumer.
   */
  void deliver(ConnectionSession session, StoredMessage message, Fanout fanout, int holdLimit) {
    if (recovering) {
      synchronized (this) {
        if (recovering) {
          if (held.size() >= holdLimit) {
            fanout.refuse(session);
          } else {
            held.add(message);
          }
          return;
        }
      }
    }
    if (!replayed(message.position())) {
      fanout.offer(session, message.frame());
    }
  }

  /** Queues the replay, then what was held meanwhile, then lets live messages through. */
  void finishRecovery(List<StoredMessage> replay, StreamPosition head,
      ConnectionSession session) {
    synchronized (this) {
      for (StoredMessage message : replay) {
        session.send(message.frame());
      }
      replayedUpTo = head;
      for (StoredMessage message : held) {
        if (!replayed(message.position())) {
          session.send(message.frame());
        }
      }
      held = null;
      recovering = false;
    }
  }

  /** Lets held messages through without a replay (a cluster subscribe without since). */
  void finishWithoutReplay(ConnectionSession session) {
    synchronized (this) {
      for (StoredMessage message : held) {
        session.send(message.frame());
      }
      held = null;
      recovering = false;
    }
  }

  /**
   * Cluster: the bus now listens to the topic for this subscription; true if the subscription
   * was removed meanwhile, so the caller must take the listen back.
   */
  synchronized boolean listened() {
    listened = true;
    return removed;
  }

  /**
   * Cluster: the subscription left the routing table; true if its listen had succeeded, so the
   * caller must take it back (exactly one of the two calls answers true).
   */
  synchronized boolean removed() {
    if (removed) {
      return false;
    }
    removed = true;
    return listened;
  }

  private boolean replayed(StreamPosition position) {
    StreamPosition upTo = replayedUpTo;
    return upTo != null && position.sameEpoch(upTo) && position.offset() <= upTo.offset();
  }
}
