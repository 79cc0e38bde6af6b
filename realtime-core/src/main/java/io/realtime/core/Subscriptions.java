package io.realtime.core;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.PresenceStore;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.Replay;
import io.realtime.port.out.StoredMessage;
import io.realtime.port.out.TopicHistory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Topics of connections: subscribe (with recovery from {@code since}, and presence),
 * unsubscribe, and leaving every topic when a connection ends. Membership itself lives in the
 * routing table, each with its {@link Subscription}.
 *
 * <p>In a cluster every subscription makes the {@link ClusterBus} listen to its topic (the bus
 * counts), and is held like a recovering one until the listen holds cluster-wide: the ack
 * comes then, and {@code since} reads the shared history after it. Each subscription's listen
 * is taken back exactly once, when it leaves the routing table (see
 * {@link Subscription#listened()}). Those continuations run on the bus's threads.
 *
 * <p>Presence: a subscription is answered only once the store recorded its join (and, for a
 * watcher, gave the topic's state), so the ack comes before the state, and the state before any
 * change; a store out of reach answers {@code unavailable} and leaves no subscription. A join is
 * announced only when the user became present, a leave only when their last connection left, by
 * the node that made the change (the cluster's store carries it to the other nodes).
 */
final class Subscriptions {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final TopicHistory history;
  private final PresenceStore presence;
  private final Replies replies;
  private final RealtimeEvents events;
  private final ClusterBus cluster; // null on a single node

  Subscriptions(RoutingTable<ConnectionSession, Subscription> routes, TopicHistory history,
      PresenceStore presence, Replies replies, RealtimeEvents events, ClusterBus cluster) {
    this.cluster = cluster;
    this.routes = routes;
    this.history = history;
    this.presence = presence;
    this.replies = replies;
    this.events = events;
  }

  /** A client's {@code subscribe}: checked, answered, recovered, announced. */
  void subscribe(ConnectionSession session, ClientCommand.Subscribe command) {
    Optional<TopicName> topic = allowedTopic(session, command.ref(), command.topic());
    if (topic.isEmpty()) {
      return;
    }
    String ref = command.ref();
    if (cluster != null) {
      subscribeInCluster(session, topic.get(), command);
      return;
    }
    if (command.since().isEmpty()) {
      Subscription subscription = Subscription.live(command.presence());
      if (add(session, topic.get(), subscription)) {
        joined(session, topic.get(), subscription,
            () -> replies.reply(session, new ServerFrame.Ack(ref)),
            dropUnavailable(session, topic.get(), subscription, ref));
      } else if (routes.isSubscribed(session.id(), topic.get())) {
        replies.reply(session, new ServerFrame.Ack(ref));
      }
      return;
    }
    if (!history.enabled()) {
      replies.error(session, ref, ErrorCode.HISTORY_UNAVAILABLE,
          "this server keeps no history to replay from");
      return;
    }
    recover(session, topic.get(), command.since(), command.presence(), ref);
  }

  /** The server API's subscribe: no check, no answer, no replay. False if the connection left. */
  boolean subscribeByServer(ConnectionSession session, TopicName topic) {
    if (cluster != null) {
      Subscription subscription = Subscription.recovering(false);
      if (!add(session, topic, subscription)) {
        return routes.isSubscribed(session.id(), topic);
      }
      listen(session, topic, subscription, () -> joined(session, topic, subscription,
          () -> subscription.finishWithoutReplay(session),
          () -> drop(session, topic, subscription)), () -> {});
      return true;
    }
    Subscription subscription = Subscription.live(false);
    if (add(session, topic, subscription)) {
      joined(session, topic, subscription, () -> {}, () -> drop(session, topic, subscription));
      return true;
    }
    return routes.isSubscribed(session.id(), topic);
  }

  void unsubscribe(ConnectionSession session, ClientCommand.Unsubscribe command) {
    Optional<String> problem = TopicName.problem(command.topic());
    if (problem.isPresent()) {
      replies.error(session, command.ref(), ErrorCode.INVALID_TOPIC, problem.get());
      return;
    }
    TopicName topic = new TopicName(command.topic());
    Optional<Subscription> subscription = routes.subscription(session.id(), topic);
    if (routes.unsubscribe(session.id(), topic)) {
      subscription.ifPresent(s -> unlisten(topic, s));
      leave(session, topic);
    }
    replies.reply(session, new ServerFrame.Ack(command.ref()));
  }

  /** Presence leaves for every topic an ended connection was on (its routes are gone). */
  void leaveAll(ConnectionSession session, Collection<TopicName> topics) {
    topics.forEach(topic -> leave(session, topic));
  }

  /** Presence changes the cluster's store reports: to every watcher of the topic here. */
  void presenceChanged(TopicName topic, List<UserId> joins, List<UserId> leaves) {
    announce(topic, joins, leaves, null);
  }

  /** Cluster: takes back the listens of a connection about to end, before its routes go. */
  void unlistenAll(ConnectionSession session, Collection<TopicName> topics) {
    if (cluster != null) {
      topics.forEach(topic -> routes.subscription(session.id(), topic)
          .ifPresent(s -> unlisten(topic, s)));
    }
  }

  private void subscribeInCluster(ConnectionSession session, TopicName topic,
      ClientCommand.Subscribe command) {
    String ref = command.ref();
    String since = command.since(); // empty: no since
    if (!since.isEmpty() && !history.enabled()) {
      replies.error(session, ref, ErrorCode.HISTORY_UNAVAILABLE,
          "this server keeps no history to replay from");
      return;
    }
    Subscription subscription = Subscription.recovering(command.presence());
    if (!add(session, topic, subscription)) {
      if (routes.isSubscribed(session.id(), topic)) { // nothing missed while subscribed
        replies.reply(session, !since.isEmpty() ? new ServerFrame.RecoveryAck(ref, true)
            : new ServerFrame.Ack(ref));
      }
      return;
    }
    Runnable unavailable = () -> unavailable(session, ref);
    Runnable dropped = dropUnavailable(session, topic, subscription, ref);
    listen(session, topic, subscription, () -> {
      if (since.isEmpty()) {
        joined(session, topic, subscription, () -> {
          replies.reply(session, new ServerFrame.Ack(ref));
          subscription.finishWithoutReplay(session);
        }, dropped);
        return;
      }
      Optional<StreamPosition> after = StreamPosition.parse(since);
      CompletionStage<ClusterBus.History> read = after.isPresent()
          ? cluster.since(topic, after.get()) : cluster.retained(topic);
      read.whenComplete((h, e) -> {
        if (e != null) {
          dropped.run();
          return;
        }
        List<StoredMessage> replay = new ArrayList<>(h.messages().size());
        for (var m : h.messages()) {
          StreamPosition.parse(m.id()).ifPresent(p -> replay.add(
              new StoredMessage(m, p, replies.encode(new ServerFrame.Message(m)))));
        }
        joined(session, topic, subscription, () -> {
          replies.reply(session, new ServerFrame.RecoveryAck(ref, h.recovered()));
          subscription.finishRecovery(replay, h.head(), session);
        }, dropped);
      });
    }, unavailable);
  }

  /** Takes a registered subscription back and tells the client the store is out of reach. */
  private Runnable dropUnavailable(ConnectionSession session, TopicName topic,
      Subscription subscription, String ref) {
    return () -> {
      drop(session, topic, subscription);
      unavailable(session, ref);
    };
  }

  private void unavailable(ConnectionSession session, String ref) {
    replies.error(session, ref, ErrorCode.UNAVAILABLE,
        "the cluster's store is unreachable; subscribe again later");
  }

  /**
   * Makes the bus listen for a registered subscription; then runs {@code listening}, or on
   * failure takes the registration back and runs {@code failed}.
   */
  private void listen(ConnectionSession session, TopicName topic, Subscription subscription,
      Runnable listening, Runnable failed) {
    cluster.listen(topic).whenComplete((r, e) -> {
      if (e != null) {
        if (routes.subscription(session.id(), topic).orElse(null) == subscription) {
          routes.unsubscribe(session.id(), topic);
        }
        failed.run();
        return;
      }
      if (subscription.listened()) { // removed meanwhile
        cluster.unlisten(topic);
        return;
      }
      if (session.isEnded()) { // its routes may be gone without our unlisten
        unlisten(topic, subscription);
        return;
      }
      listening.run();
    });
  }

  /** Takes a subscription out of the routing table after its listen succeeded. */
  private void drop(ConnectionSession session, TopicName topic, Subscription subscription) {
    if (routes.subscription(session.id(), topic).orElse(null) == subscription) {
      routes.unsubscribe(session.id(), topic);
    }
    unlisten(topic, subscription);
  }

  private void unlisten(TopicName topic, Subscription subscription) {
    if (cluster != null && subscription.removed()) {
      cluster.unlisten(topic);
    }
  }

  private Optional<TopicName> allowedTopic(ConnectionSession session, String ref, String name) {
    Optional<String> problem = TopicName.problem(name);
    if (problem.isPresent()) {
      replies.error(session, ref, ErrorCode.INVALID_TOPIC, problem.get());
      return Optional.empty();
    }
    TopicName topic = new TopicName(name);
    if (!session.connection().mayAccess(topic)) {
      replies.error(session, ref, ErrorCode.FORBIDDEN,
          "your token does not allow topic '" + topic + "'");
      return Optional.empty();
    }
    return Optional.of(topic);
  }

  /**
   * Registers first, so live messages published while the history is read are held, then
   * replays; a history that fails takes the registration back and the client hears why.
   */
  private void recover(ConnectionSession session, TopicName topic, String since,
      boolean watchPresence, String ref) {
    Subscription subscription = Subscription.recovering(watchPresence);
    if (!add(session, topic, subscription)) {
      if (routes.isSubscribed(session.id(), topic)) { // nothing missed while subscribed
        replies.reply(session, new ServerFrame.RecoveryAck(ref, true));
      }
      return;
    }
    Replay replay;
    try {
      Optional<StreamPosition> after = StreamPosition.parse(since);
      replay = after.isPresent() ? history.since(topic, after.get()) : history.retained(topic);
    } catch (RuntimeException e) {
      routes.unsubscribe(session.id(), topic);
      replies.error(session, ref, ErrorCode.UNAVAILABLE,
          "the topic's history cannot be read right now; subscribe again later");
      return;
    }
    joined(session, topic, subscription, () -> {
      replies.reply(session, new ServerFrame.RecoveryAck(ref, replay.recovered()));
      subscription.finishRecovery(replay.messages(), replay.head(), session);
    }, dropUnavailable(session, topic, subscription, ref));
  }

  /** Registers in the routing table; false if the connection is gone or already subscribed. */
  private boolean add(ConnectionSession session, TopicName topic, Subscription subscription) {
    return !session.isEnded() && routes.subscribe(session.id(), topic, subscription);
  }

  /**
   * Presence for a registered subscription: records the join and, for a watcher, reads the
   * topic's state; then {@code answer} (the ack and what follows it), the state to the watcher,
   * and the join to the topic's other watchers. Should the store fail, what it may have kept is
   * taken back and {@code failed} runs instead (it drops the subscription).
   */
  private void joined(ConnectionSession session, TopicName topic, Subscription subscription,
      Runnable answer, Runnable failed) {
    UserId user = session.connection().user();
    presence.join(topic, user, session.id())
        .thenCompose(newly -> subscription.watchesPresence()
            ? presence.users(topic).thenApply(users -> new Joined(newly, users))
            : CompletableFuture.completedStage(new Joined(newly, Set.of())))
        .whenComplete((joined, e) -> {
          if (e != null) {
            presence.leave(topic, user, session.id());
            failed.run();
            return;
          }
          if (session.isEnded()) { // end() may have run its presence leaves before our join
            presence.leave(topic, user, session.id());
            return;
          }
          answer.run();
          if (subscription.watchesPresence()) {
            subscription.finishPresence(
                new ServerFrame.Presence(topic, sorted(joined.users()), List.of()),
                frame -> replies.reply(session, frame));
          }
          if (joined.newly()) {
            announce(topic, List.of(user), List.of(), session);
          }
        });
  }

  /** What the store answered to a join: whether the user became present, and the state. */
  private record Joined(boolean newly, Set<UserId> users) {}

  /** A leave the store could not record is announced when its entry expires (a cluster). */
  private void leave(ConnectionSession session, TopicName topic) {
    UserId user = session.connection().user();
    presence.leave(topic, user, session.id()).whenComplete((last, e) -> {
      if (e == null && last) {
        announce(topic, List.of(), List.of(user), session);
      }
    });
  }

  /**
   * Tells the topic's presence watchers, except {@code origin} (may be null), who joined and
   * left; a watcher whose state is not sent yet holds the change.
   */
  private void announce(TopicName topic, List<UserId> joins, List<UserId> leaves,
      ConnectionSession origin) {
    ServerFrame.Presence change = new ServerFrame.Presence(topic, joins, leaves);
    Fanout fanout = new Fanout(events);
    EncodedFrame[] frame = new EncodedFrame[1];
    routes.forEachSubscriber(topic, (s, subscription) -> {
      if (s != origin && subscription.watchesPresence() && !subscription.holdsPresence(change)) {
        if (frame[0] == null) {
          frame[0] = replies.encode(change);
        }
        fanout.offer(s, frame[0]);
      }
    });
    fanout.finish();
  }

  static List<UserId> sorted(Set<UserId> users) {
    List<UserId> out = new ArrayList<>(users);
    out.sort((a, b) -> a.value().compareTo(b.value()));
    return out;
  }
}
