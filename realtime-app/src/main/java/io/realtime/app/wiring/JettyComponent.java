package io.realtime.app.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.realtime.app.config.RealtimeConfig;
import javax.inject.Singleton;

/** The server on Jetty, checked and generated at compile time. */
@Singleton
@Component(modules = {CoreModule.class, WebModule.class, JwtModule.class,
    ObservabilityModule.class, JettyModule.class})
public interface JettyComponent extends ServerComponent {
  /** Builds the graph from a parsed configuration. */
  @Component.Factory
  interface Factory {
    JettyComponent create(@BindsInstance RealtimeConfig config);
  }
}
