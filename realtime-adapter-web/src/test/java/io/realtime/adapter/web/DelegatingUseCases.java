package io.realtime.adapter.web;

import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.in.SubscribeConnectionUseCase;

/** The use cases of {@code base}; a test overrides the one it replaces. */
class DelegatingUseCases implements RealtimeUseCases {
  private final RealtimeUseCases base;

  DelegatingUseCases(RealtimeUseCases base) {
    this.base = base;
  }

  /** {@code base} with its connections opened by {@code open} instead. */
  static RealtimeUseCases opening(RealtimeUseCases base, OpenConnectionUseCase open) {
    return new DelegatingUseCases(base) {
      @Override
      public OpenConnectionUseCase openConnection() {
        return open;
      }
    };
  }

  @Override
  public OpenConnectionUseCase openConnection() {
    return base.openConnection();
  }

  @Override
  public AuthenticateUseCase authenticate() {
    return base.authenticate();
  }

  @Override
  public PublishMessageUseCase publish() {
    return base.publish();
  }

  @Override
  public KickConnectionUseCase kick() {
    return base.kick();
  }

  @Override
  public SubscribeConnectionUseCase subscribeConnection() {
    return base.subscribeConnection();
  }

  @Override
  public QueryPresenceUseCase presence() {
    return base.presence();
  }

  @Override
  public QueryStatsUseCase stats() {
    return base.stats();
  }

  @Override
  public DrainConnectionsUseCase drain() {
    return base.drain();
  }
}
