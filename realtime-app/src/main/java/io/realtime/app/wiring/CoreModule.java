package io.realtime.app.wiring;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.core.RealtimeCore;
import io.realtime.core.embedded.InMemoryTopicHistory;
import io.realtime.core.embedded.InProcessBackplane;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.TopicHistory;
import io.realtime.port.out.UserDirectory;
import java.time.Clock;
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

  @Provides
  static UserDirectory userDirectory() {
    return UserDirectory.trustToken();
  }

  @Provides
  @Singleton
  static RealtimeCore core(RealtimeSettings settings, FrameCodec codec, TokenVerifier verifier,
      UserDirectory users, TopicHistory history, Backplane backplane, RealtimeEvents events,
      Clock clock) {
    return RealtimeCore.builder(verifier)
        .codec(codec)
        .settings(settings)
        .clock(clock)
        .userDirectory(users)
        .history(history)
        .backplane(backplane)
        .events(events)
        .build();
  }
}
