package io.realtime.app;

import io.realtime.adapter.jetty.JettyRealtimeServer;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;

/** The wire contract on a cluster of two Jetty nodes. */
class JettyClusterConformanceTest extends ClusterConformanceSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new JettyRealtimeServer(web);
  }
}
