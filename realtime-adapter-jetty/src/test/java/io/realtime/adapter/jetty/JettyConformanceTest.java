package io.realtime.adapter.jetty;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.TransportConformanceSuite;

/** The wire contract, on Jetty. */
class JettyConformanceTest extends TransportConformanceSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new JettyRealtimeServer(web);
  }
}
