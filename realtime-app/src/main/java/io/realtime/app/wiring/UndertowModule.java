package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.realtime.adapter.undertow.UndertowRealtimeServer;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import javax.inject.Singleton;

/** The Undertow 2.3 transport. */
@Module
public interface UndertowModule {
  @Provides
  @Singleton
  static RealtimeServer server(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }
}
