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
import io.realtime.port.out.ClusterBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Set;

/** The server API's operations on connections (PROTOCOL.md section 5). */
public final class AdminService implements KickConnectionUseCase, SubscribeConnectionUseCase,
    QueryPresenceUseCase, QueryStatsUseCase {
  private final RoutingTable<ConnectionSession, Subscription> routes;
  private final Subscriptions subscriptions;
  private final PresenceStore presence;
  private final ClusterBus cluster; // null on a single node

  AdminService(RoutingTable<ConnectionSession, Subscription> routes,
      Subscriptions subscriptions, PresenceStore presence, ClusterBus cluster) {
    this.cluster = cluster;
    this.routes = routes;
    this.subscriptions = subscriptions;
    this.presence = presence;
  }

  @Override
  public boolean kick(ConnectionId id) {
    Optional<ConnectionSession> session = routes.handle(id);
    session.ifPresent(s -> s.close(CloseCode.KICKED));
    if (session.isPresent()) {
      return true;
    }
    Optional<String> node = remoteNode(id);
    return node.isPresent() && ask(cluster.kick(node.get(), id));
  }

  @Override
  public boolean subscribe(ConnectionId id, TopicName topic) {
    Optional<ConnectionSession> session = routes.handle(id);
    if (session.isPresent()) {
      return subscriptions.subscribeByServer(session.get(), topic);
    }
    Optional<String> node = remoteNode(id);
    return node.isPresent() && ask(cluster.subscribe(node.get(), id, topic));
  }

  /** Another node's kick of a connection here; false if it is not here. */
  boolean kickedByCluster(ConnectionId id) {
    Optional<ConnectionSession> session = routes.handle(id);
    session.ifPresent(s -> s.close(CloseCode.KICKED));
    return session.isPresent();
  }

  /** Another node's server-side subscribe of a connection here; false if it is not here. */
  boolean subscribedByCluster(ConnectionId id, TopicName topic) {
    return routes.handle(id).map(s -> subscriptions.subscribeByServer(s, topic)).orElse(false);
  }

  /** The other node an id names, in a cluster. */
  private Optional<String> remoteNode(ConnectionId id) {
    if (cluster == null) {
      return Optional.empty();
    }
    return ConnectionIds.node(id.value()).filter(n -> !n.equals(cluster.nodeId()));
  }

  /** Waits for the bus, bounded like a publish; a failure counts as no such node. */
  private static boolean ask(CompletionStage<Boolean> answer) {
    try {
      return answer.toCompletableFuture()
          .get(PublishService.BUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public CompletionStage<Set<UserId>> presence(TopicName topic) {
    return presence.users(topic);
  }

  @Override
  public Stats stats() {
    return new Stats(routes.connectionCount(), routes.userCount(), routes.topicCount());
  }

  /**
   * In a cluster the live nodes' heartbeats with this node's entry replaced by its figures now
   * (added if its first heartbeat is not written yet), and their sums: a user or topic on two
   * nodes counts on each.
   */
  @Override
  public CompletionStage<Overview> overview() {
    if (cluster == null) {
      return CompletableFuture.completedStage(new Overview(stats(), List.of()));
    }
    return cluster.nodes().thenApply(heartbeats -> {
      Stats own = stats();
      List<NodeStats> nodes = new ArrayList<>(heartbeats.size() + 1);
      nodes.add(new NodeStats(cluster.nodeId(), own));
      for (ClusterBus.NodeLoad n : heartbeats) {
        if (!n.id().equals(cluster.nodeId())) {
          ClusterBus.Load l = n.load();
          nodes.add(new NodeStats(n.id(), new Stats(l.connections(), l.users(), l.topics())));
        }
      }
      nodes.sort((a, b) -> a.id().compareTo(b.id()));
      int connections = 0;
      int users = 0;
      int topics = 0;
      for (NodeStats n : nodes) {
        connections += n.stats().connections();
        users += n.stats().users();
        topics += n.stats().topics();
      }
      return new Overview(new Stats(connections, users, topics), nodes);
    });
  }

  @Override
  public int connectionsOf(UserId user) {
    return routes.connectionsOf(user);
  }
}
