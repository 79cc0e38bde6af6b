package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.SubscribeConnectionUseCase;
import io.realtime.port.out.PresenceStore;
import java.util.Optional;
import java.util.Set;

/** The server API's operations on connections (PROTOCOL.md section 5). */
public final class AdminService implements KickConnectionUseCase, SubscribeConnectionUseCase,
    QueryPresenceUseCase, QueryStatsUseCase {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final Subscriptions subscriptions;
  private final PresenceStore presence;

  AdminService(RoutingTable<ConnectionSession, Subscription> routes,
      Subscriptions subscriptions, PresenceStore presence) {
    this.routes = routes;
    this.subscriptions = subscriptions;
    this.presence = presence;
  }

  @Override
  public boolean kick(ConnectionId id) {
    Optional<ConnectionSession> session = routes.handle(id);
    session.ifPresent(s -> s.close(CloseCode.KICKED));
    return session.isPresent();
  }

  @Override
  public boolean subscribe(ConnectionId id, TopicName topic) {
    Optional<ConnectionSession> session = routes.handle(id);
    return session.isPresent() && subscriptions.subscribeByServer(session.get(), topic);
  }

  @Override
  public Set<UserId> presence(TopicName topic) {
    return presence.users(topic);
  }

  @Override
  public Stats stats() {
    return new Stats(routes.connectionCount(), routes.userCount(), routes.topicCount());
  }

  @Override
  public int connectionsOf(UserId user) {
    return routes.connectionsOf(user);
  }
}
