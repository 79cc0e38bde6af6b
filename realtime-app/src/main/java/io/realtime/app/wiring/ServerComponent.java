package io.realtime.app.wiring;

import io.realtime.adapter.jwt.NimbusTokenVerifier;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.core.RealtimeCore;

/** One server's object graph, whatever its transport: what {@code Main} needs from it. */
public interface ServerComponent {
  RealtimeConfig config();

  RealtimeServer server();

  RealtimeCore core();

  NimbusTokenVerifier verifier();
}
