package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSettings;
import io.realtime.adapter.web.WebUseCases;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.port.out.FrameCodec;
import io.realtime.service.RealtimeCore;
import java.time.Clock;
import java.util.HashSet;
import javax.inject.Singleton;

/** What both transports share: the JSON codec and the web adapter over the core. */
@Module
public interface WebModule {
  /** Largest server API request body read (413 beyond). */
  int MAX_REQUEST_BYTES = 1 << 20;

  @Provides
  @Singleton
  static FrameCodec codec(RealtimeConfig config) {
    return new JacksonFrameCodec(config.maxFrameBytes());
  }

  @Provides
  static WebSettings webSettings(RealtimeConfig c) {
    return new WebSettings(c.host(), c.port(), new HashSet<>(c.allowedOrigins()),
        c.maxConnectionsPerUser(), c.maxConnections(), c.maxFrameBytes(), c.sendQueue(),
        c.heartbeat(), c.apiKey(), c.devMode(), c.drainTimeout(), MAX_REQUEST_BYTES);
  }

  @Provides
  @Singleton
  static WebAdapter web(WebSettings settings, RealtimeCore core,
      PrometheusMeterRegistry registry, DevTokenMinter devTokens, Clock clock) {
    return WebAdapter.builder(settings, new WebUseCases(core.openConnection(), core.authenticate(),
            core.publish(), core.kick(), core.subscribeConnection(), core.presence(), core.stats(),
            core.drain()))
        .metrics(registry::scrape)
        .devTokens(devTokens)
        .clock(clock)
        .build();
  }
}
