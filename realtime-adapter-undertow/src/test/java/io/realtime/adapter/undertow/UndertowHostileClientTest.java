package io.realtime.adapter.undertow;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.HostileClientSuite;

/** Hostile clients and overload, on Undertow. */
class UndertowHostileClientTest extends HostileClientSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }
}
