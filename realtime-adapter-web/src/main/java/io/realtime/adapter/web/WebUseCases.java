package io.realtime.adapter.web;

import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.SubscribeConnectionUseCase;
import java.util.Objects;

/**
 * The core's use cases the web side drives. With the embedded core:
 * {@code new WebUseCases(core.openConnection(), core.authenticate(), core.publish(), core.kick(),
 * core.subscribeConnection(), core.presence(), core.stats(), core.drain())}.
 */
public record WebUseCases(
    OpenConnectionUseCase open,
    AuthenticateUseCase authenticate,
    PublishMessageUseCase publish,
    KickConnectionUseCase kick,
    SubscribeConnectionUseCase subscribe,
    QueryPresenceUseCase presence,
    QueryStatsUseCase stats,
    DrainConnectionsUseCase drain) {
  public WebUseCases {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(authenticate, "authenticate");
    Objects.requireNonNull(publish, "publish");
    Objects.requireNonNull(kick, "kick");
    Objects.requireNonNull(subscribe, "subscribe");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(drain, "drain");
  }
}
