package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.app.observability.MicrometerEvents;
import io.realtime.port.out.RealtimeEvents;
import java.time.Clock;
import java.util.Locale;
import javax.inject.Singleton;

/** Metrics (Prometheus through Micrometer) and the event log. */
@Module
public interface ObservabilityModule {
  @Provides
  @Singleton
  static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    @SuppressWarnings("resource") // lives as long as the registry: the whole process
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return registry;
  }

  @Provides
  @Singleton
  static RealtimeEvents events(PrometheusMeterRegistry registry, Clock clock,
      RealtimeConfig config) {
    return new MicrometerEvents(registry, clock, config.transport().name().toLowerCase(Locale.ROOT));
  }
}
