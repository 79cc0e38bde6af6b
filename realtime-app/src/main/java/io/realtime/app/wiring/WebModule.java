package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.realtime.adapter.redis.RedisClusterBus;
import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.adapter.web.InMemoryIdempotencyStore;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.IdempotencyStore;
import java.time.Clock;
import java.util.Optional;
import javax.inject.Singleton;

/** What both transports share: the JSON codec and the web adapter over the core. */
@Module
public interface WebModule {
  @Provides
  @Singleton
  static FrameCodec codec(RealtimeSettings settings) {
    return new JacksonFrameCodec(settings.maxFrameBytes());
  }

  /** The API's first answers by {@code Idempotency-Key}: the cluster's, or this node's. */
  @Provides
  @Singleton
  static IdempotencyStore idempotency(Optional<RedisClusterBus> cluster, Clock clock) {
    return cluster.map(RedisClusterBus::idempotency)
        .orElseGet(() -> new InMemoryIdempotencyStore(clock));
  }

  @Provides
  @Singleton
  static WebAdapter web(RealtimeSettings settings, RealtimeUseCases core,
      PrometheusMeterRegistry registry, DevTokenMinter devTokens, IdempotencyStore idempotency) {
    return WebAdapter.builder(settings, core)
        .metrics(registry::scrape)
        .devTokens(devTokens)
        .idempotency(idempotency)
        .build();
  }
}
