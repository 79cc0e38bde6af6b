package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.FrameCodec;
import java.time.Clock;
import javax.inject.Singleton;

/** What both transports share: the JSON codec and the web adapter over the core. */
@Module
public interface WebModule {
  @Provides
  @Singleton
  static FrameCodec codec(RealtimeSettings settings) {
    return new JacksonFrameCodec(settings.maxFrameBytes());
  }

  @Provides
  @Singleton
  static WebAdapter web(RealtimeSettings settings, RealtimeUseCases core,
      PrometheusMeterRegistry registry, DevTokenMinter devTokens, Clock clock) {
    return WebAdapter.builder(settings, core)
        .metrics(registry::scrape)
        .devTokens(devTokens)
        .clock(clock)
        .build();
  }
}
