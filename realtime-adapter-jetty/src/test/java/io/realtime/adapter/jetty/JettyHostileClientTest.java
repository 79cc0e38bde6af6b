package io.realtime.adapter.jetty;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.HostileClientSuite;

/** Hostile clients and overload, on Jetty. */
class JettyHostileClientTest extends HostileClientSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new JettyRealtimeServer(web);
  }
}
