package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.realtime.adapter.jetty.JettyRealtimeServer;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import javax.inject.Singleton;

/** The Jetty 12 transport. */
@Module
public interface JettyModule {
  @Provides
  @Singleton
  static RealtimeServer server(WebAdapter web) {
    return new JettyRealtimeServer(web);
  }
}
