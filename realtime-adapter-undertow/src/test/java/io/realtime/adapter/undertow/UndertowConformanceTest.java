package io.realtime.adapter.undertow;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.TransportConformanceSuite;

/** The wire contract, on Undertow. */
class UndertowConformanceTest extends TransportConformanceSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }
}
