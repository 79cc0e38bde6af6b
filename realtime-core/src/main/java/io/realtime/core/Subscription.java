package io.realtime.core;

import io.realtime.domain.ServerFrame;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.UserId;
import io.realtime.port.out.StoredMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One connection's subscription to one topic, kept in the routing table beside its membership.
 *
 * <p>A subscribe with {@code since} registers the subscription first, then reads the history:
 * live messages arriving in between are held here until the replay is queued, then released
 * unless the replay already held them (their position is at or before the history's head). That
 * keeps replay-then-live in order without duplicates, and costs the publish path a volatile
 * read. A presence watcher likewise holds the presence changes announced before its state was
 * sent, so the state comes first and the changes after it agree with it. The monitor of this
 * object is taken only while a recovery or a watcher's state is pending.
 */
final class Subscription {
  private final boolean presence;
  private volatile boolean recovering;
  private List<StoredMessage> held; // guarded by this, only while recovering
  private volatile boolean statePending; // a watcher whose presence state is not sent yet
  private List<ServerFrame.Presence> heldChanges; // guarded by this, only while statePending
  private volatile StreamPosition replayedUpTo; // null: no replay, nothing to deduplicate
  private boolean listened; // cluster: the bus's listen succeeded; guarded by this
  private boolean removed; // cluster: the subscription left the routing table; guarded by this

  private Subscription(boolean presence, boolean recovering) {
    this.presence = presence;
    this.recovering = recovering;
    this.held = recovering ? new ArrayList<>() : null;
    this.statePending = presence;
    this.heldChanges = presence ? new ArrayList<>() : null;
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
   * A presence change for this watcher: false if it may be sent now, true if it was held until
   * the watcher's state is sent (the hold lasts one read of the store, bounded by its timeout).
   */
  boolean holdsPresence(ServerFrame.Presence change) {
    if (!statePending) {
      return false;
    }
    synchronized (this) {
      if (!statePending) {
        return false;
      }
      heldChanges.add(change);
      return true;
    }
  }

  /**
   * Sends the watcher's presence state, then the changes held meanwhile that the state does not
   * already show (a join of a user it lists, a leave of one it lacks), then lets changes through.
   */
  void finishPresence(ServerFrame.Presence state, Consumer<ServerFrame.Presence> send) {
    synchronized (this) {
      send.accept(state);
      Set<UserId> view = new HashSet<>(state.joins());
      for (ServerFrame.Presence change : heldChanges) {
        List<UserId> joins = change.joins().stream().filter(view::add).toList();
        List<UserId> leaves = change.leaves().stream().filter(view::remove).toList();
        if (!joins.isEmpty() || !leaves.isEmpty()) {
          send.accept(new ServerFrame.Presence(state.topic(), joins, leaves));
        }
      }
      heldChanges = null;
      statePending = false;
    }
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
