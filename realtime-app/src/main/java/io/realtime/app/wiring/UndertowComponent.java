package io.realtime.app.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.realtime.app.config.RealtimeConfig;
import javax.inject.Singleton;

/** The server on Undertow: the Jetty component's graph with the other transport module. */
@Singleton
@Component(modules = {CoreModule.class, WebModule.class, JwtModule.class,
    ObservabilityModule.class, UndertowModule.class})
public interface UndertowComponent extends ServerComponent {
  /** Builds the graph from a parsed configuration. */
  @Component.Factory
  interface Factory {
    UndertowComponent create(@BindsInstance RealtimeConfig config);
  }
}
