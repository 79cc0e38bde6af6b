package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.Principal;
import io.realtime.domain.UserId;
import io.realtime.port.out.TokenCheck;
import io.realtime.core.RealtimeCore;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle rules with a transport of lambdas that records its steps. */
class ServerLifecycleTest {
  private final RealtimeCore core = RealtimeCore.builder(
      token -> new TokenCheck.Valid(Principal.of(new UserId("alice"))))
      .codec(new JacksonFrameCodec()).build();
  private final WebAdapter web = WebAdapter.builder(
      RealtimeSettings.defaults().withHost("127.0.0.1").withPort(8123),
      core).build();
  private final List<String> steps = new ArrayList<>();
  private boolean requestsDone = true;
  private final ServerLifecycle lifecycle = new ServerLifecycle("test", web, left -> {
    steps.add("requests");
    assertTrue(core.drain().draining(), "requests are awaited after the drain began");
    assertFalse(left.isNegative(), left.toString());
    return requestsDone;
  }, () -> steps.add("stop"));

  @AfterEach
  void close() {
    core.close();
  }

  private void serve() {
    lifecycle.start(() -> steps.add("start"), () -> 8123);
  }

  @Test
  void startsOnceThenDrainsWaitsForRequestsWithWhatIsLeftAndStops() {
    serve();
    assertThrows(IllegalStateException.class, this::serve);
    assertTrue(lifecycle.drainAndStop(Duration.ofSeconds(2)));
    assertTrue(lifecycle.drainAndStop(Duration.ofSeconds(2)), "a second stop does nothing");
    assertEquals(List.of("start", "requests", "stop"), steps);
  }

  @Test
  void aFailedStartStopsAndNamesHostPortAndCause() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> lifecycle.start(
        () -> {
          throw new RuntimeException(new BindException("Address already in use"));
        }, () -> -1));
    assertEquals("cannot start test on 127.0.0.1:8123: java.net.BindException: Address already"
        + " in use", e.getMessage());
    assertTrue(lifecycle.drainAndStop(Duration.ofSeconds(1)));
    assertEquals(List.of("stop", "stop"), steps, "never served: stopped, nothing drained");
    assertFalse(core.drain().draining());
  }

  @Test
  void aSocketStillOpenMakesTheStopUncleanButItStillStops() {
    serve();
    web.connect(accept(), RecordingSink.inline()); // its transport never reports the close
    assertFalse(lifecycle.drainAndStop(Duration.ofMillis(50)));
    assertEquals(List.of("start", "requests", "stop"), steps);
  }

  @Test
  void aRequestStillRunningMakesTheStopUncleanButItStillStops() {
    requestsDone = false;
    serve();
    assertFalse(lifecycle.drainAndStop(Duration.ofSeconds(1)));
    assertEquals(List.of("start", "requests", "stop"), steps);
  }

  private HandshakeDecision.Accept accept() {
    return (HandshakeDecision.Accept) web.handshake(new HandshakeRequest("/ws",
        NamedValues.of(Map.of("token", List.of("alice"))), NamedValues.EMPTY, "127.0.0.1"));
  }
}
