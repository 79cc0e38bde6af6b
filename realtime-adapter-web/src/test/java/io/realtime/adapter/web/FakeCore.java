package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeUseCases;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.SubscribeConnectionUseCase;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Every use case the web side drives, simplified and recording; for unit tests. */
final class FakeCore implements OpenConnectionUseCase, AuthenticateUseCase,
    PublishMessageUseCase, KickConnectionUseCase, SubscribeConnectionUseCase,
    QueryPresenceUseCase, QueryStatsUseCase, DrainConnectionsUseCase {
  final Map<String, Principal> tokens = new ConcurrentHashMap<>();
  final List<PublishRequest> published = new CopyOnWriteArrayList<>();
  final Set<String> connections = ConcurrentHashMap.newKeySet();
  final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();
  final Map<UserId, Integer> perUser = new ConcurrentHashMap<>();
  final Map<TopicName, Set<UserId>> presence = new ConcurrentHashMap<>();
  /** What the overview lists (a cluster's nodes); empty: a single node. */
  volatile List<NodeStats> nodes = List.of();
  /** A cluster whose store is out of reach: presence and overview fail. */
  volatile boolean clusterDown;
  final List<String> kicked = new CopyOnWriteArrayList<>();
  final AtomicInteger authentications = new AtomicInteger();
  volatile int connectionCount;
  volatile boolean draining;
  volatile io.realtime.port.in.BackplaneStatus backplane = io.realtime.port.in.BackplaneStatus.LOCAL;

  FakeCore token(String token, Principal principal) {
    tokens.put(token, principal);
    return this;
  }

  RealtimeUseCases useCases() {
    FakeCore fake = this;
    return new RealtimeUseCases() {
      @Override
      public OpenConnectionUseCase openConnection() {
        return fake;
      }

      @Override
      public AuthenticateUseCase authenticate() {
        return fake;
      }

      @Override
      public PublishMessageUseCase publish() {
        return fake;
      }

      @Override
      public KickConnectionUseCase kick() {
        return fake;
      }

      @Override
      public SubscribeConnectionUseCase subscribeConnection() {
        return fake;
      }

      @Override
      public QueryPresenceUseCase presence() {
        return fake;
      }

      @Override
      public QueryStatsUseCase stats() {
        return fake;
      }

      @Override
      public DrainConnectionsUseCase drain() {
        return fake;
      }

      @Override
      public io.realtime.port.in.BackplaneStatus backplane() {
        return fake.backplane;
      }
    };
  }

  @Override
  public ClientSession open(OpenRequest request) {
    throw new UnsupportedOperationException("not in unit tests");
  }

  @Override
  public TokenCheck authenticate(String token) {
    authentications.incrementAndGet();
    if (token.isEmpty()) {
      return new TokenCheck.Invalid(AuthFailure.MISSING);
    }
    Principal p = tokens.get(token);
    return p == null ? new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE) : new TokenCheck.Valid(p);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    if (backplane == io.realtime.port.in.BackplaneStatus.DOWN) {
      return new PublishResult.Rejected(ErrorCode.UNAVAILABLE, "the store is unreachable");
    }
    if (request.type().equals("boom")) {
      return new PublishResult.Rejected(ErrorCode.BAD_REQUEST, "boom is refused");
    }
    published.add(request);
    return new PublishResult.Published("msg-" + published.size(), 3);
  }

  @Override
  public boolean kick(ConnectionId id) {
    kicked.add(id.value());
    return connections.remove(id.value());
  }

  @Override
  public boolean subscribe(ConnectionId id, TopicName topic) {
    if (!connections.contains(id.value())) {
      return false;
    }
    subscriptions.computeIfAbsent(id.value(), k -> ConcurrentHashMap.newKeySet())
        .add(topic.value());
    return true;
  }

  @Override
  public CompletionStage<Set<UserId>> presence(TopicName topic) {
    if (clusterDown) {
      return CompletableFuture.failedFuture(new IllegalStateException("store down"));
    }
    return CompletableFuture.completedFuture(presence.getOrDefault(topic, Set.of()));
  }

  @Override
  public CompletionStage<Overview> overview() {
    if (clusterDown) {
      return CompletableFuture.failedFuture(new IllegalStateException("store down"));
    }
    return CompletableFuture.completedFuture(new Overview(stats(), nodes));
  }

  @Override
  public Stats stats() {
    return new Stats(connectionCount, perUser.size(), 2);
  }

  @Override
  public int connectionsOf(UserId user) {
    return perUser.getOrDefault(user, 0);
  }

  @Override
  public void drain() {
    draining = true;
  }

  @Override
  public boolean draining() {
    return draining;
  }
}
