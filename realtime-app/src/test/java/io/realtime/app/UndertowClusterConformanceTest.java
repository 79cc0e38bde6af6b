package io.realtime.app;

import io.realtime.adapter.undertow.UndertowRealtimeServer;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;

/** The wire contract on a cluster of two Undertow nodes. */
class UndertowClusterConformanceTest extends ClusterConformanceSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }
}
