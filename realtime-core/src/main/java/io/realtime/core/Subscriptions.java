package io.realtime.core;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.PresenceStore;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.Replay;
import io.realtime.port.out.TopicHistory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Topics of connections: subscribe (with recovery from {@code since}, and presence),
 * unsubscribe, and leaving every topic when a connection ends. Membership itself lives in the
 * routing table, each with its {@link Subscription}.
 */
final class Subscriptions {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final TopicHistory history;
  private final PresenceStore presence;
  private final Replies replies;
  private final RealtimeEvents events;

  Subscriptions(RoutingTable<ConnectionSession, Subscription> routes, TopicHistory history,
      PresenceStore presence, Replies replies, RealtimeEvents events) {
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
    if (command.since().isEmpty()) {
      if (add(session, topic.get(), Subscription.live(command.presence()))) {
        replies.reply(session, new ServerFrame.Ack(ref));
        joined(session, topic.get(), command.presence());
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
    if (add(session, topic, Subscription.live(false))) {
      joined(session, topic, false);
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
    if (routes.unsubscribe(session.id(), topic)) {
      leave(session, topic);
    }
    replies.reply(session, new ServerFrame.Ack(command.ref()));
  }

  /** Presence leaves for every topic an ended connection was on (its routes are gone). */
  void leaveAll(ConnectionSession session, Collection<TopicName> topics) {
    topics.forEach(topic -> leave(session, topic));
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
    replies.reply(session, new ServerFrame.RecoveryAck(ref, replay.recovered()));
    subscription.finishRecovery(replay.messages(), replay.head(), session);
    joined(session, topic, watchPresence);
  }

  /** Registers in the routing table; false if the connection is gone or already subscribed. */
  private boolean add(ConnectionSession session, TopicName topic, Subscription subscription) {
    return !session.isEnded() && routes.subscribe(session.id(), topic, subscription);
  }

  /** Presence after a new subscription: the state to a watcher, the join to the others. */
  private void joined(ConnectionSession session, TopicName topic, boolean watchPresence) {
    UserId user = session.connection().user();
    boolean newlyPresent = presence.join(topic, user, session.id());
    if (session.isEnded()) { // end() may have run its presence leaves before our join
      presence.leave(topic, user, session.id());
      return;
    }
    if (watchPresence) {
      replies.reply(session,
          new ServerFrame.Presence(topic, sorted(presence.users(topic)), List.of()));
    }
    if (newlyPresent) {
      announce(topic, List.of(user), List.of(), session);
    }
  }

  private void leave(ConnectionSession session, TopicName topic) {
    UserId user = session.connection().user();
    if (presence.leave(topic, user, session.id())) {
      announce(topic, List.of(), List.of(user), session);
    }
  }

  /** Tells the topic's presence watchers, except {@code origin}, who joined and left. */
  private void announce(TopicName topic, List<UserId> joins, List<UserId> leaves,
      ConnectionSession origin) {
    Fanout fanout = new Fanout(events);
    EncodedFrame[] frame = new EncodedFrame[1];
    routes.forEachSubscriber(topic, (s, subscription) -> {
      if (s != origin && subscription.watchesPresence()) {
        if (frame[0] == null) {
          frame[0] = replies.encode(new ServerFrame.Presence(topic, joins, leaves));
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
