package io.realtime.adapter.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.TransportLifecycleSuite;
import org.junit.jupiter.api.Test;

/** Start, stop and drain, on Undertow. */
class UndertowLifecycleTest extends TransportLifecycleSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }

  @Test
  void logsAndMetricsCallItUndertow() {
    assertEquals("undertow", unstarted(0).transport());
  }
}
