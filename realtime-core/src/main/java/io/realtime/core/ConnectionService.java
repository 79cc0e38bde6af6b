package io.realtime.core;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.CloseCode;
import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.Expiry;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TokenBucket;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.ClientMessageHandler;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.HandlerResult;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.PresenceStore;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.RealtimeEvents.DropReason;
import io.realtime.port.out.Replay;
import io.realtime.port.out.Scheduler;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.TopicHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Connections from open to close: welcome, every client frame of PROTOCOL.md section 3,
 * subscriptions with replay and presence, token expiry, heartbeats, drain.
 */
public final class ConnectionService implements OpenConnectionUseCase, DrainConnectionsUseCase {
  private final RoutingTable<ConnectionSession> routes;
  private final FrameCodec codec;
  private final AuthenticateUseCase auth;
  private final PublishService publisher;
  private final TopicHistory history;
  private final PresenceStore presence;
  private final Map<String, ClientMessageHandler> handlers;
  private final Scheduler scheduler;
  private final IdGenerator ids;
  private final Clock clock;
  private final LongSupplier ticker;
  private final RealtimeEvents events;
  private final RealtimeSettings settings;
  private volatile boolean draining;

  ConnectionService(RoutingTable<ConnectionSession> routes, FrameCodec codec,
      AuthenticateUseCase auth, PublishService publisher, TopicHistory history,
      PresenceStore presence, Map<String, ClientMessageHandler> handlers, Scheduler scheduler,
      IdGenerator ids, Clock clock, LongSupplier ticker, RealtimeEvents events,
      RealtimeSettings settings) {
    this.routes = routes;
    this.codec = codec;
    this.auth = auth;
    this.publisher = publisher;
    this.history = history;
    this.presence = presence;
    this.handlers = Map.copyOf(handlers);
    this.scheduler = scheduler;
    this.ids = ids;
    this.clock = clock;
    this.ticker = ticker;
    this.events = events;
    this.settings = settings;
  }

  // --- open, close, drain ---

  @Override
  public ClientSession open(OpenRequest request) {
    long now = nanoTime();
    Connection connection = new Connection(new ConnectionId(ids.next()), request.principal(),
        request.metadata(), clock.instant());
    ConnectionSession session = new ConnectionSession(this, connection, request.channel(),
        TokenBucket.full(settings.clientRate(), settings.clientBurst(), now), settings.sendQueue(), now);
    // welcome is queued before the connection is routable, so it is always the first frame
    session.send(codec.encode(new ServerFrame.Welcome(connection.id(), connection.user(),
        connection.roles(), (int) settings.heartbeat().toSeconds())));
    routes.add(connection, session);
    events.connectionOpened(connection);
    scheduleExpiry(session);
    if (draining) { // a drain raced this open
      session.close(CloseCode.GOING_AWAY);
    }
    return session;
  }

  /** Forgets every trace of a connection; true for the first call only. */
  boolean end(ConnectionSession session, CloseReason reason) {
    if (!session.markEnded()) {
      return false;
    }
    routes.remove(session.id());
    session.cancelExpiry();
    Connection connection = session.connection();
    for (Subscription subscription : session.subscriptions().values()) {
      leave(session, subscription.topic());
    }
    session.subscriptions().clear();
    events.connectionClosed(connection, reason);
    return true;
  }

  @Override
  public void drain() {
    draining = true;
    routes.forEach(session -> session.close(CloseCode.GOING_AWAY));
  }

  @Override
  public boolean draining() {
    return draining;
  }

  /** Pings every connection, and closes those silent for two heartbeat intervals. */
  void heartbeat() {
    long silentLimit = nanoTime() - 2 * settings.heartbeat().toNanos();
    routes.forEach(session -> {
      if (session.lastSeenNanos() - silentLimit <= 0) {
        session.close(CloseCode.HEARTBEAT_TIMEOUT);
      } else {
        session.ping();
      }
    });
  }

  private void scheduleExpiry(ConnectionSession session) {
    Instant deadline = Expiry.deadline(session.connection().expiresAt(), settings.clockSkew());
    if (deadline.equals(Principal.NEVER)) {
      session.expiry(() -> {});
      return;
    }
    Duration delay = Duration.between(clock.instant(), deadline);
    session.expiry(scheduler.schedule(() -> expireIfDue(session), delay));
  }

  private void expireIfDue(ConnectionSession session) {
    if (session.connection().isExpired(clock.instant(), settings.clockSkew())) {
      session.close(CloseCode.TOKEN_EXPIRED);
    } else { // refreshed meanwhile, or the timer fired early
      scheduleExpiry(session);
    }
  }

  // --- client frames ---

  void receive(ConnectionSession session, String text) {
    session.activity();
    if (session.isEnded()) {
      return;
    }
    ClientCommand command;
    try {
      command = codec.decode(text);
    } catch (RuntimeException e) { // a codec must not throw; if one does, the client still hears
      command = new ClientCommand.Malformed("", ErrorCode.INTERNAL, "the server could not read "
          + "this frame");
    }
    long now = nanoTime();
    if (!session.admitFrame(now)) {
      reply(session, ServerFrame.Error.of(command.ref(), ErrorCode.RATE_LIMITED,
          "more than " + (long) settings.clientRate() + " frames per second"));
      events.requestRejected(session.connection(), ErrorCode.RATE_LIMITED);
      if (!session.tolerateViolation(now)) {
        session.close(CloseCode.POLICY_VIOLATION);
      }
      return;
    }
    try {
      dispatch(session, command);
    } catch (RuntimeException e) { // a bug must not cost the client its connection
      error(session, command.ref(), ErrorCode.INTERNAL, "the server failed on this request");
    }
  }

  void receiveBinary(ConnectionSession session) {
    session.activity();
    error(session, "", ErrorCode.UNSUPPORTED_FRAME,
        "binary frames are not supported: send JSON text frames");
  }

  private void dispatch(ConnectionSession session, ClientCommand command) {
    if (command instanceof ClientCommand.Ping ping) {
      reply(session, new ServerFrame.Pong(ping.ref()));
    } else if (command instanceof ClientCommand.Subscribe subscribe) {
      subscribe(session, subscribe);
    } else if (command instanceof ClientCommand.Unsubscribe unsubscribe) {
      unsubscribe(session, unsubscribe);
    } else if (command instanceof ClientCommand.Publish publish) {
      publish(session, publish);
    } else if (command instanceof ClientCommand.Refresh refresh) {
      refresh(session, refresh);
    } else if (command instanceof ClientCommand.Custom custom) {
      custom(session, custom);
    } else if (command instanceof ClientCommand.Malformed malformed) {
      error(session, malformed.ref(), malformed.code(), malformed.message());
    } else {
      throw new AssertionError(command);
    }
  }

  private void subscribe(ConnectionSession session, ClientCommand.Subscribe command) {
    String problem = TopicName.problem(command.topic());
    if (problem != null) {
      error(session, command.ref(), ErrorCode.INVALID_TOPIC, problem);
      return;
    }
    TopicName topic = new TopicName(command.topic());
    if (!session.connection().mayAccess(topic)) {
      error(session, command.ref(), ErrorCode.FORBIDDEN,
          "your token does not allow topic '" + topic + "'");
      return;
    }
    if (!command.since().isEmpty() && !history.enabled()) {
      error(session, command.ref(), ErrorCode.HISTORY_UNAVAILABLE,
          "this server keeps no history to replay from");
      return;
    }
    subscribe(session, topic, command.since(), command.presence(), command.ref(), true);
  }

  /**
   * Subscribes a session: registers it, replays from {@code since} if asked, answers (when
   * {@code answer}), sends the presence state to a presence watcher, and tells the topic's
   * other watchers when the user is new there. False if the connection is gone.
   */
  boolean subscribe(ConnectionSession session, TopicName topic, String since,
      boolean watchPresence, String ref, boolean answer) {
    boolean recover = !since.isEmpty();
    Subscription subscription = new Subscription(topic, watchPresence, recover);
    if (session.subscriptions().putIfAbsent(topic, subscription) != null) {
      if (answer) { // already subscribed: nothing to replay, nothing missed while subscribed
        reply(session, recover ? new ServerFrame.RecoveryAck(ref, true) : new ServerFrame.Ack(ref));
      }
      return true;
    }
    if (!routes.subscribe(session.id(), topic)) {
      session.subscriptions().remove(topic);
      return false;
    }
    UserId user = session.connection().user();
    boolean joined = presence.join(topic, user, session.id());
    if (session.isEnded()) { // end() may have run its presence leaves before our join
      presence.leave(topic, user, session.id());
      return false;
    }
    if (recover) {
      Replay replay = history.since(topic, since);
      if (answer) {
        reply(session, new ServerFrame.RecoveryAck(ref, replay.recovered()));
      }
      List<EncodedFrame> frames = new ArrayList<>(replay.messages().size());
      replay.messages().forEach(m -> frames.add(codec.encode(new ServerFrame.Message(m))));
      subscription.finishRecovery(frames, replay.head(), session);
    } else if (answer) {
      reply(session, new ServerFrame.Ack(ref));
    }
    if (watchPresence) {
      reply(session, new ServerFrame.Presence(topic, sorted(presence.users(topic)), List.of()));
    }
    if (joined) {
      announce(topic, List.of(user), List.of(), session);
    }
    return true;
  }

  private void unsubscribe(ConnectionSession session, ClientCommand.Unsubscribe command) {
    String problem = TopicName.problem(command.topic());
    if (problem != null) {
      error(session, command.ref(), ErrorCode.INVALID_TOPIC, problem);
      return;
    }
    TopicName topic = new TopicName(command.topic());
    if (session.subscriptions().remove(topic) != null) {
      routes.unsubscribe(session.id(), topic);
      leave(session, topic);
    }
    reply(session, new ServerFrame.Ack(command.ref()));
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
    EncodedFrame[] frame = new EncodedFrame[1];
    routes.forEachRecipient(new Target.Topic(topic), s -> {
      Subscription sub = s.subscriptions().get(topic);
      if (s != origin && sub != null && sub.watchesPresence()) {
        if (frame[0] == null) {
          frame[0] = codec.encode(new ServerFrame.Presence(topic, joins, leaves));
        }
        s.send(frame[0]);
      }
    });
  }

  private void publish(ConnectionSession session, ClientCommand.Publish command) {
    String problem = TopicName.problem(command.topic());
    if (problem != null) {
      error(session, command.ref(), ErrorCode.INVALID_TOPIC, problem);
      return;
    }
    TopicName topic = new TopicName(command.topic());
    Connection connection = session.connection();
    if (!connection.hasPermission(Permissions.PUBLISH)) {
      error(session, command.ref(), ErrorCode.FORBIDDEN,
          "publishing needs the permission '" + Permissions.PUBLISH + "'");
      return;
    }
    if (!connection.mayAccess(topic)) {
      error(session, command.ref(), ErrorCode.FORBIDDEN,
          "your token does not allow topic '" + topic + "'");
      return;
    }
    PublishResult result = publisher.publish(
        new PublishRequest(new Target.Topic(topic), command.event(), command.payload()));
    if (result instanceof PublishResult.Rejected rejected) {
      error(session, command.ref(), rejected.code(), "event: " + rejected.message());
    } else {
      reply(session, new ServerFrame.Ack(command.ref()));
    }
  }

  private void refresh(ConnectionSession session, ClientCommand.Refresh command) {
    TokenCheck check = auth.authenticate(command.token());
    if (check instanceof TokenCheck.Invalid invalid) {
      error(session, command.ref(), ErrorCode.UNAUTHORIZED, invalid.detail());
      return;
    }
    Principal principal = ((TokenCheck.Valid) check).principal();
    Connection current = session.connection();
    if (!principal.user().equals(current.user())) {
      error(session, command.ref(), ErrorCode.UNAUTHORIZED,
          "the new token is for another user (sub)");
      return;
    }
    Connection refreshed = current.withPrincipal(principal);
    session.connection(refreshed);
    routes.update(refreshed);
    scheduleExpiry(session);
    events.tokenRefreshed(refreshed);
    reply(session, new ServerFrame.Ack(command.ref()));
  }

  private void custom(ConnectionSession session, ClientCommand.Custom command) {
    ClientMessageHandler handler = handlers.get(command.type());
    if (handler == null) {
      error(session, command.ref(), ErrorCode.UNKNOWN_TYPE,
          "no handler for type '" + command.type() + "'");
      return;
    }
    HandlerResult result = handler.handle(session.connection(), command.type(), command.frame());
    if (result instanceof HandlerResult.Reject reject) {
      reply(session, new ServerFrame.Error(command.ref(), reject.code(), reject.message()));
    } else {
      reply(session, new ServerFrame.Ack(command.ref()));
    }
  }

  private void error(ConnectionSession session, String ref, ErrorCode code, String message) {
    reply(session, ServerFrame.Error.of(ref, code, message));
    events.requestRejected(session.connection(), code);
  }

  private void reply(ConnectionSession session, ServerFrame frame) {
    session.send(codec.encode(frame));
  }

  // --- delivery outcomes reported by sessions ---

  void slowConsumer(ConnectionSession session) {
    events.messageDropped(session.connection(), DropReason.SLOW_CONSUMER);
    session.close(CloseCode.SLOW_CONSUMER);
  }

  void droppedClosed(ConnectionSession session) {
    events.messageDropped(session.connection(), DropReason.CLOSED);
  }

  /** Monotonic time for heartbeats and rate buckets: wall-clock steps must not move them. */
  long nanoTime() {
    return ticker.getAsLong();
  }

  static List<UserId> sorted(Set<UserId> users) {
    List<UserId> out = new ArrayList<>(users);
    out.sort((a, b) -> a.value().compareTo(b.value()));
    return out;
  }
}
