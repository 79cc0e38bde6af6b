package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.SubscribeConnectionUseCase;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.TopicHistory;
import io.realtime.port.out.UserDirectory;
import io.realtime.service.CoreSettings;
import io.realtime.service.InMemoryTopicHistory;
import io.realtime.service.InProcessBackplane;
import io.realtime.service.RealtimeCore;
import java.time.Clock;
import javax.inject.Singleton;

/** The hexagon's core: one per server, with the embedded defaults for its driven ports. */
@Module
public interface CoreModule {
  @Provides
  @Singleton
  static Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  static CoreSettings settings(RealtimeConfig config) {
    return new CoreSettings(config.heartbeat(), config.clockSkew(), config.clientRate(),
        config.clientBurst());
  }

  @Provides
  @Singleton
  static TopicHistory history(RealtimeConfig config, Clock clock) {
    return new InMemoryTopicHistory(config.historySize(), config.historyAge(), clock);
  }

  @Provides
  @Singleton
  static Backplane backplane() {
    return new InProcessBackplane();
  }

  @Provides
  static UserDirectory userDirectory() {
    return UserDirectory.trustToken();
  }

  @Provides
  @Singleton
  static RealtimeCore core(RealtimeConfig config, FrameCodec codec, TokenVerifier verifier,
      UserDirectory users, TopicHistory history, Backplane backplane, RealtimeEvents events,
      CoreSettings settings, Clock clock) {
    return RealtimeCore.builder(codec, verifier)
        .settings(settings)
        .clock(clock)
        .userDirectory(users)
        .history(history)
        .backplane(backplane)
        .events(events)
        .queueLimit(config.sendQueue())
        .build();
  }

  @Provides
  static OpenConnectionUseCase openConnection(RealtimeCore core) {
    return core.openConnection();
  }

  @Provides
  static AuthenticateUseCase authenticate(RealtimeCore core) {
    return core.authenticate();
  }

  @Provides
  static PublishMessageUseCase publish(RealtimeCore core) {
    return core.publish();
  }

  @Provides
  static KickConnectionUseCase kick(RealtimeCore core) {
    return core.kick();
  }

  @Provides
  static SubscribeConnectionUseCase subscribeConnection(RealtimeCore core) {
    return core.subscribeConnection();
  }

  @Provides
  static QueryPresenceUseCase presence(RealtimeCore core) {
    return core.presence();
  }

  @Provides
  static QueryStatsUseCase stats(RealtimeCore core) {
    return core.stats();
  }

  @Provides
  static DrainConnectionsUseCase drain(RealtimeCore core) {
    return core.drain();
  }
}
