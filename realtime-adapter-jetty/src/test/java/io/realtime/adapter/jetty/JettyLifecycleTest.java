package io.realtime.adapter.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.TransportLifecycleSuite;
import org.junit.jupiter.api.Test;

/** Start, stop and drain, on Jetty. */
class JettyLifecycleTest extends TransportLifecycleSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new JettyRealtimeServer(web);
  }

  @Test
  void logsAndMetricsCallItJetty() {
    assertEquals("jetty", unstarted(0).transport());
  }
}
