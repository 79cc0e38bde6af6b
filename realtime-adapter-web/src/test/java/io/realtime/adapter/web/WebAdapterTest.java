package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.Principal;
import io.realtime.domain.UserId;
import io.realtime.port.in.ClientSession;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenCheck;
import io.realtime.core.RealtimeCore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge and the adapter over the real embedded core, with a recording sink. */
class WebAdapterTest {
  private final RealtimeCore core = RealtimeCore.builder(token -> token.equals("alice")
          ? new TokenCheck.Valid(Principal.of(new UserId("alice")))
          : new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE))
      .codec(new JacksonFrameCodec()).build();
  private final WebAdapter web = WebAdapter.builder(RealtimeSettings.defaults(),
      core).build();

  @AfterEach
  void close() {
    core.close();
  }

  private HandshakeDecision.Accept accept() {
    return (HandshakeDecision.Accept) web.handshake(new HandshakeRequest("/ws",
        NamedValues.of(Map.of("token", List.of("alice"))), NamedValues.EMPTY, "127.0.0.1"));
  }

  @Test
  void anAcceptedPlaceIsHeldWhileTheSocketIsOpenAndGivenBackOnce() {
    HandshakeDecision.Accept first = accept();
    assertEquals(1, web.reservedConnections(), "reserved at the handshake");
    WebSocketBridge bridge = web.connect(first, RecordingSink.inline());
    web.abandon(first); // too late: the socket is open and holds its place
    assertEquals(1, web.reservedConnections());
    bridge.onClose(1000, "bye");
    bridge.onClose(1000, "bye");
    assertEquals(0, web.reservedConnections(), "given back when the socket ends, once");
    HandshakeDecision.Accept failed = accept();
    web.abandon(failed); // the upgrade failed before the socket opened
    web.abandon(failed);
    assertEquals(0, web.reservedConnections());
    WebSocketBridge late = web.connect(failed, RecordingSink.inline()); // opened after all
    assertEquals(1, web.reservedConnections(), "a place taken again, so the count stays true");
    late.onClose(1006, "");
    assertEquals(0, web.reservedConnections());
  }

  @Test
  void welcomeIsTheFirstFrameAndPingIsAnswered() {
    RecordingSink sink = RecordingSink.inline();
    WebSocketBridge bridge = web.connect(accept(), sink);
    assertTrue(sink.sentList().get(0).startsWith("{\"type\":\"welcome\",\"connectionId\":\""
        + bridge.connectionId().orElseThrow().value()));
    bridge.onText("{\"type\":\"ping\",\"ref\":\"1\"}");
    assertEquals("{\"type\":\"pong\",\"ref\":\"1\"}", sink.sentList().get(1));
    bridge.onText("nonsense");
    assertTrue(sink.sentList().get(2).contains("\"code\":\"bad_request\""));
    bridge.onBinary();
    assertTrue(sink.sentList().get(3).contains("\"code\":\"unsupported_frame\""));
  }

  @Test
  void aPlainGetOfTheSocketPathWithATokenExplainsTheRefusal() {
    HttpResponse refused = web.handle(new HttpRequest("GET", "/ws", NamedValues.EMPTY,
        NamedValues.headers(Map.of("Authorization", List.of("Bearer forged"))), "", "127.0.0.1"));
    assertEquals(401, refused.status(), refused.body());
    assertTrue(refused.body().startsWith("{\"error\":\"unauthorized\""), refused.body());
    assertTrue(refused.headers().containsKey("WWW-Authenticate"));
    HttpResponse wouldPass = web.handle(new HttpRequest("GET", "/ws",
        NamedValues.of(Map.of("token", List.of("alice"))), NamedValues.EMPTY, "", "127.0.0.1"));
    assertEquals(400, wouldPass.status(), "an upgrade would be accepted: the usual answer");
    assertTrue(wouldPass.body().contains("upgrade_required"));
    HttpResponse crossOrigin = web.handle(new HttpRequest("GET", "/ws",
        NamedValues.of(Map.of("token", List.of("forged"))),
        NamedValues.headers(Map.of("Origin", List.of("https://app.example"))), "", "127.0.0.1"));
    assertEquals(401, crossOrigin.status());
    assertEquals("https://app.example", crossOrigin.headers().get("Access-Control-Allow-Origin"),
        "a page on another origin can read why");
    assertEquals(0, core.stats().stats().connections(), "a probe opens nothing");
    HttpResponse tokenless = web.handle(new HttpRequest("GET", "/ws", NamedValues.EMPTY,
        NamedValues.EMPTY, "", "127.0.0.1"));
    assertTrue(tokenless.body().contains("upgrade_required"));
  }

  @Test
  void probesOfAnAcceptedTokenHoldNoPlaceUnderTheUserCap() {
    WebAdapter capped = WebAdapter.builder(
        RealtimeSettings.defaults().withMaxConnectionsPerUser(1), core).build();
    for (int i = 0; i < 3; i++) {
      HttpResponse probe = capped.handle(new HttpRequest("GET", "/ws",
          NamedValues.of(Map.of("token", List.of("alice"))), NamedValues.EMPTY, "", "127.0.0.1"));
      assertEquals(400, probe.status(), "would be accepted: " + probe.body());
    }
    HandshakeDecision upgrade = capped.handshake(new HandshakeRequest("/ws",
        NamedValues.of(Map.of("token", List.of("alice"))), NamedValues.EMPTY, "127.0.0.1"));
    assertTrue(upgrade instanceof HandshakeDecision.Accept, "the one place is free: " + upgrade);
  }

  @Test
  void closeForgetsTheConnectionOnce() {
    RecordingSink sink = RecordingSink.inline();
    WebSocketBridge bridge = web.connect(accept(), sink);
    assertEquals(1, core.stats().stats().connections());
    assertEquals(1, web.openSockets());
    bridge.onClose(1000, "bye");
    bridge.onError(new RuntimeException("late"));
    assertEquals(0, core.stats().stats().connections());
    assertEquals(0, web.openSockets());
    bridge.onText("{\"type\":\"ping\"}");
    assertEquals(1, sink.sentList().size(), "nothing after close");
  }

  @Test
  void transportClosesAreCountedByTheirReason() {
    List<CloseReason> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
    RealtimeCore counted = RealtimeCore.builder(
        token -> new TokenCheck.Valid(Principal.of(new UserId("alice"))))
        .codec(new JacksonFrameCodec())
        .events(new RealtimeEvents() {
          @Override
          public void connectionClosed(Connection connection, CloseReason reason) {
            reasons.add(reason);
          }
        }).build();
    try {
      WebAdapter adapter = WebAdapter.builder(RealtimeSettings.defaults(), counted)
          .build();
      adapter.connect(accept(), RecordingSink.inline()).onClose(1009, "too big");
      adapter.connect(accept(), RecordingSink.inline()).onClose(1006, "");
      adapter.connect(accept(), RecordingSink.inline()).onError(new java.io.IOException("reset"));
      adapter.connect(accept(), RecordingSink.inline()).onClose(1000, "bye");
      assertEquals(List.of(CloseReason.MESSAGE_TOO_BIG, CloseReason.ERROR, CloseReason.ERROR,
          CloseReason.CLIENT), reasons);
    } finally {
      counted.close();
    }
  }

  @Test
  void drainClosesWith1001AndWaitsForTheSockets() throws InterruptedException {
    RecordingSink sink = RecordingSink.inline();
    WebSocketBridge bridge = web.connect(accept(), sink);
    web.drain();
    assertTrue(sink.awaitClosed(Duration.ofSeconds(10)), "closed once the client was quiet");
    assertEquals(1001, sink.closeCode);
    assertFalse(web.awaitSocketsClosed(Duration.ofMillis(50)), "the socket has not closed yet");
    bridge.onClose(1001, "server shutting down");
    assertTrue(web.awaitSocketsClosed(Duration.ofSeconds(1)));
    HandshakeDecision refused = web.handshake(new HandshakeRequest("/ws", NamedValues.EMPTY,
        NamedValues.EMPTY, ""));
    assertEquals(503, ((HandshakeDecision.Refuse) refused).status());
  }

  @Test
  void theWelcomeIsWrittenOnlyOnceTheCoreHasOpenedTheConnection() {
    RecordingSink sink = RecordingSink.inline();
    boolean[] sentDuringOpen = {true};
    WebAdapter probing = WebAdapter.builder(RealtimeSettings.defaults(),
        DelegatingUseCases.opening(core, request -> {
          ClientSession s = core.openConnection().open(request); // queues the welcome
          sentDuringOpen[0] = !sink.sentList().isEmpty();
          return s;
        })).build();
    probing.connect(accept(), sink);
    assertFalse(sentDuringOpen[0], "nothing reaches the socket while open() runs");
    assertTrue(sink.sentList().get(0).contains("\"welcome\""));
  }

  @Test
  void aCoreFailureOnOpenClosesTheSocket() {
    WebAdapter broken = WebAdapter.builder(RealtimeSettings.defaults(),
        DelegatingUseCases.opening(core, request -> {
          throw new IllegalStateException("bug");
        })).build();
    RecordingSink sink = RecordingSink.inline();
    WebSocketBridge bridge = broken.connect(accept(), sink);
    assertEquals(1011, sink.closeCode);
    assertTrue(bridge.connectionId().isEmpty());
    bridge.onText("{\"type\":\"ping\"}");
    bridge.onClose(1011, "server error");
    assertEquals(0, broken.openSockets());
  }
}
