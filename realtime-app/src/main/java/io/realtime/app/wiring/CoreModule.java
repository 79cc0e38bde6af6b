package io.realtime.app.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.realtime.adapter.redis.RedisClusterBus;
import io.realtime.adapter.redis.RedisSettings;
import io.realtime.app.config.BackplaneKind;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.core.RealtimeCore;
import io.realtime.core.embedded.InMemoryTopicHistory;
import io.realtime.core.embedded.InProcessBackplane;
import io.realtime.port.in.BackplaneStatus;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.TopicHistory;
import io.realtime.port.out.UserDirectory;
import java.time.Clock;
import java.util.Optional;
import javax.inject.Singleton;

/** The hexagon's core: one per server, with the embedded defaults for its driven ports. */
@Module
public interface CoreModule {
  /** The core, as the use cases the web side drives. */
  @Binds
  RealtimeUseCases useCases(RealtimeCore core);

  @Provides
  static RealtimeSettings settings(RealtimeConfig config) {
    return config.settings();
  }

  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  static TopicHistory history(RealtimeSettings settings, Clock clock) {
    return new InMemoryTopicHistory(settings.historySize(), settings.historyAge(), clock);
  }

  @Provides
  @Singleton
  static Backplane backplane() {
    return new InProcessBackplane();
  }

  /**
   * The node's one link to the cluster's Redis, when {@code REALTIME_BACKPLANE=redis}: the
   * core's bus, whose engine also serves the API's idempotency store (one connection per node).
   */
  @Provides
  @Singleton
  static Optional<RedisClusterBus> cluster(RealtimeConfig config) {
    return config.backplane() == BackplaneKind.REDIS
        ? Optional.of(new RedisClusterBus(redisSettings(config)))
        : Optional.empty();
  }

  /** The Redis engine's settings from the server's configuration. */
  static RedisSettings redisSettings(RealtimeConfig config) {
    RealtimeSettings s = config.settings();
    return RedisSettings.builder(config.redisUrl().toString())
        .prefix(config.redisPrefix())
        .nodeId(config.nodeId())
        .history(s.historySize(), s.historyAge())
        .build();
  }

  @Provides
  static UserDirectory userDirectory() {
    return UserDirectory.trustToken();
  }

  @Provides
  @Singleton
  static RealtimeCore core(RealtimeConfig config, RealtimeSettings settings, FrameCodec codec,
      TokenVerifier verifier, UserDirectory users, TopicHistory history, Backplane backplane,
      RealtimeEvents events, Clock clock, PrometheusMeterRegistry registry,
      Optional<RedisClusterBus> cluster) {
    RealtimeCore.Builder builder = RealtimeCore.builder(verifier);
    cluster.ifPresent(builder::cluster); // closed by the core, after the drain
    RealtimeCore core = builder
        .codec(codec)
        .settings(settings)
        .clock(clock)
        .userDirectory(users)
        .history(history)
        .backplane(backplane)
        .events(events)
        .build();
    if (config.backplane() == BackplaneKind.REDIS) {
      Gauge.builder("realtime.backplane.up", core,
              c -> c.backplane() == BackplaneStatus.DOWN ? 0 : 1)
          .description("1 while the cluster's Redis is reachable, else 0")
          .register(registry);
    }
    return core;
  }
}
