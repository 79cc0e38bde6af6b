package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.TokenBucket;
import io.realtime.domain.TopicName;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.RealtimeEvents;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Connections from open to close: the welcome, registration, heartbeats, and every trace gone
 * at the end; drain.
 */
final class ConnectionLifecycle implements OpenConnectionUseCase, DrainConnectionsUseCase {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final Replies replies;
  private final ClientCommands commands;
  private final Subscriptions subscriptions;
  private final ExpiryTimers expiry;
  private final IdGenerator ids;
  private final Clock clock;
  private final LongSupplier ticker;
  private final RealtimeEvents events;
  private final RealtimeSettings settings;
  private volatile boolean draining;

  ConnectionLifecycle(RoutingTable<ConnectionSession, Subscription> routes, Replies replies,
      ClientCommands commands, Subscriptions subscriptions, ExpiryTimers expiry, IdGenerator ids,
      Clock clock, LongSupplier ticker, RealtimeEvents events, RealtimeSettings settings) {
    this.routes = routes;
    this.replies = replies;
    this.commands = commands;
    this.subscriptions = subscriptions;
    this.expiry = expiry;
    this.ids = ids;
    this.clock = clock;
    this.ticker = ticker;
    this.events = events;
    this.settings = settings;
  }

  @Override
  public ClientSession open(OpenRequest request) {
    long now = nanoTime();
    Connection connection = new Connection(new ConnectionId(ids.next()), request.principal(),
        request.metadata(), clock.instant());
    ConnectionSession session = new ConnectionSession(this, commands, connection,
        request.channel(), TokenBucket.full(settings.clientRate(), settings.clientBurst(), now),
        now);
    // welcome is queued before the connection is routable, so it is always the first frame
    replies.reply(session, new ServerFrame.Welcome(connection.id(), connection.user(),
        connection.roles(), (int) settings.heartbeat().toSeconds()));
    routes.add(connection, session);
    events.connectionOpened(connection);
    expiry.schedule(session);
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
    // read before removal; a subscribe racing it sees the session ended and leaves by itself
    List<TopicName> topics = List.copyOf(routes.topicsOf(session.id()));
    subscriptions.unlistenAll(session, topics);
    routes.remove(session.id());
    session.cancelExpiry();
    subscriptions.leaveAll(session, topics);
    events.connectionClosed(session.connection(), reason);
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

  /** A frame a session's queue refused outside a fan-out. */
  void undelivered(ConnectionSession session) {
    Fanout.undelivered(session, events);
  }

  /** Monotonic time for heartbeats and rate buckets: wall-clock steps must not move them. */
  long nanoTime() {
    return ticker.getAsLong();
  }
}
