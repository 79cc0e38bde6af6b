package io.realtime.tck;

import io.realtime.port.in.RealtimeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.core.RealtimeCore;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link RealtimeServer} lifecycle every transport keeps: binding, misuse, a port already
 * taken, stopping more than once or without having started, and a drain that runs out of
 * time. A transport runs it like the conformance suite:
 *
 * <pre>{@code
 * class JettyLifecycleTest extends TransportLifecycleSuite {
 *   @Override protected RealtimeServer newServer(WebAdapter web) {
 *     return new JettyRealtimeServer(web);
 *   }
 * }
 * }</pre>
 *
 * <p>Servers built here share one core whose verifier refuses every token; all are closed
 * after each test.
 */
public abstract class TransportLifecycleSuite extends TransportSuite {
  private final RealtimeCore core = track(RealtimeCore.builder(
      token -> new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE))
      .codec(new JacksonFrameCodec()).build());

  /** A server of the transport under test on a loopback port, not started; closed after. */
  protected RealtimeServer unstarted(int port) {
    RealtimeSettings settings = RealtimeSettings.defaults().withHost("127.0.0.1").withPort(port)
        .withApiKey(ServerSpec.API_KEY).withDrainTimeout(Duration.ofSeconds(2));
    return track(newServer(WebAdapter.builder(settings, core).build()));
  }

  @Test
  void portZeroBindsAFreePortAndStartTwiceIsMisuse() {
    RealtimeServer server = unstarted(0);
    server.start();
    assertTrue(server.port() > 0);
    String name = server.transport();
    assertTrue(!name.isBlank() && name.equals(name.toLowerCase(Locale.ROOT)),
        "a lower-case name for logs and metrics: " + name);
    assertThrows(IllegalStateException.class, server::start);
  }

  @Test
  void aTakenPortFailsToStartWithAClearError() {
    RealtimeServer server = unstarted(0);
    server.start();
    RealtimeServer other = unstarted(server.port());
    IllegalStateException e = assertThrows(IllegalStateException.class, other::start);
    assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
    other.close();
    assertFalse(core.drain().draining(), "closing a server that never served drains nothing");
  }

  @Test
  void stoppingTwiceIsHarmlessAndClosingAnUnstartedServerToo() {
    RealtimeServer server = unstarted(0);
    server.start();
    // an idle server drains at once; the bound is only generous room for a loaded machine
    assertTrue(server.drainAndStop(Duration.ofSeconds(10)));
    assertTrue(server.drainAndStop(Duration.ofSeconds(10)));
    RealtimeServer other = unstarted(0);
    other.close();
    assertTrue(other.drainAndStop(Duration.ofSeconds(10)));
  }

  @Test
  void socketsStillOpenWhenTheDrainTimesOutAreCut() throws Exception {
    RunningServer s = start();
    try (RawWebSocket holder = rawClient(s, "holder")) {
      ApiClient api = api(s);
      String payload = "\"" + "p".repeat(32 * 1024) + "\"";
      for (int i = 0; i < 300; i++) { // ~10 MB the holder never reads: the drain cannot finish
        api.publish("user", "holder", "bulk", payload);
      }
      CompletableFuture<Boolean> stopped = s.drainAsync(Duration.ofSeconds(1));
      assertFalse(stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "an unclean drain");
      assertTrue(holder.endsWithin(Duration.ofSeconds(10)), "the socket was cut at stop");
    }
  }
}
