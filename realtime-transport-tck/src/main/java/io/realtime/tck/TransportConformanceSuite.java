package io.realtime.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The wire contract (PROTOCOL.md sections 1 to 6) checked against a real server on loopback,
 * with real clients: the JDK WebSocket and HTTP clients, and a raw socket where a test must
 * see exact bytes or misbehave. A transport runs it by extending this class:
 *
 * <pre>{@code
 * class JettyConformanceTest extends TransportConformanceSuite {
 *   @Override protected RealtimeServer newServer(WebAdapter web) {
 *     return new JettyRealtimeServer(web);
 *   }
 * }
 * }</pre>
 *
 * <p>Every wait is bounded; nothing sleeps. Whatever a test starts is stopped after it.
 */
public abstract class TransportConformanceSuite extends TransportSuite {

  @Nested
  class Connecting {
    @Test
    void welcomeIsTheFirstFrame() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").roles("admin", "dev").sign());
      assertFalse(c.id().isBlank());
      assertEquals("alice", c.welcome().path("userId").asText());
      assertEquals("[\"admin\",\"dev\"]", c.welcome().path("roles").toString());
      assertEquals(30, c.welcome().path("heartbeatSeconds").asInt());
    }

    @Test
    void tokenInTheSubprotocolListIsAnsweredWithRealtimeV1() {
      RunningServer s = start();
      String token = s.tokens().user("alice").sign();
      Client c = connect(s, "", b -> b.subprotocols("realtime.v1", "bearer." + token));
      assertEquals("realtime.v1", c.socket().subprotocol());
      assertEquals("alice", c.welcome().path("userId").asText());
    }

    @Test
    void tokenInTheQueryIsAccepted() {
      RunningServer s = start();
      Client c = connect(s, "?token=" + s.tokens().user("alice").sign(), b -> { });
      assertEquals("alice", c.welcome().path("userId").asText());
    }

    @Test
    void headerWinsOverSubprotocolWhichWinsOverQuery() {
      RunningServer s = start();
      String alice = s.tokens().user("alice").sign();
      String bob = s.tokens().user("bob").sign();
      String carol = s.tokens().user("carol").sign();
      Client first = connect(s, "?token=" + carol, b -> b.header("Authorization", "Bearer " + alice)
          .subprotocols("realtime.v1", "bearer." + bob));
      assertEquals("alice", first.welcome().path("userId").asText());
      Client second = connect(s, "?token=" + carol,
          b -> b.subprotocols("realtime.v1", "bearer." + bob));
      assertEquals("bob", second.welcome().path("userId").asText());
    }

    @Test
    void noTokenIs401WithJsonAndBearerChallenge() {
      RunningServer s = start();
      RecordingSocket.Refused r = refused(s, "", b -> { });
      assertRefusal(r, 401, "unauthorized");
      RawHttp.Response raw = RawHttp.get(s.port(), "/ws", RawHttp.upgradeHeaders());
      assertEquals(401, raw.status());
      assertTrue(raw.header("Content-Type").startsWith("application/json"));
      assertTrue(raw.header("WWW-Authenticate").startsWith("Bearer"), raw.headers().toString());
      assertEquals("unauthorized", raw.json().path("error").asText());
    }

    @Test
    void badSignatureAndExpiredTokensAre401() {
      RunningServer s = start();
      String forged = s.tokens().user("alice").forged();
      assertRefusal(refused(s, "?token=" + forged, b -> { }), 401, "unauthorized");
      String expired = s.tokens().user("alice").expiresIn(Duration.ofHours(-1)).sign();
      RecordingSocket.Refused r =
          refused(s, "", b -> b.header("Authorization", "Bearer " + expired));
      assertRefusal(r, 401, "unauthorized");
      assertTrue(r.json().path("message").asText().contains("expired"), r.body());
      assertFalse(r.body().contains(expired), "the token is never echoed");
    }

    @Test
    void originNotOnTheAllowListIs403() {
      RunningServer s = start(ServerSpec.defaults()
          .settings(c -> c.withAllowedOrigins(Set.of("https://app.example"))));
      String token = s.tokens().user("alice").sign();
      assertRefusal(refused(s, "?token=" + token, b -> b.header("Origin", "https://evil.example")),
          403, "forbidden_origin");
      connect(s, "?token=" + token, b -> b.header("Origin", "https://app.example"));
      connect(s, "?token=" + token, b -> { }); // no Origin: not a browser
    }

    @Test
    void perUserCapIs429() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxConnectionsPerUser(2)));
      String alice = s.tokens().user("alice").sign();
      connect(s, alice);
      connect(s, alice);
      assertRefusal(refused(s, "?token=" + alice, b -> { }), 429, "too_many_connections");
      connect(s, s.tokens().user("bob").sign());
    }

    @Test
    void globalCapIs503OverloadedWithRetryAfter() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxConnections(1)));
      connect(s, s.tokens().user("alice").sign());
      RecordingSocket.Refused r = refused(s, "?token=" + s.tokens().user("bob").sign(), b -> { });
      assertRefusal(r, 503, "overloaded");
      int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElse("-1"));
      assertTrue(retry >= 1, "Retry-After " + retry);
    }

    @Test
    void tokensNeverAppearInLogs() {
      LogCapture logs = track(LogCapture.start());
      RunningServer s = start();
      String good = s.tokens().user("alice").sign();
      String forged = s.tokens().user("mallory").forged();
      connect(s, "?token=" + good, b -> { });
      connect(s, "", b -> b.subprotocols("realtime.v1", "bearer." + good));
      refused(s, "?token=" + forged, b -> { });
      refused(s, "", b -> b.header("Authorization", "Bearer " + forged));
      api(s).raw("GET", "/api/v1/stats", "", "Authorization", "Bearer " + forged);
      Client c = connect(s, good);
      c.send("{\"type\":\"refresh\",\"token\":\"" + forged + "\",\"ref\":\"r\"}");
      c.next("error");
      assertTrue(logs.size() > 0, "the run logged something");
      logs.assertNoneContains(good);
      logs.assertNoneContains(forged);
      logs.assertNoneContains(ServerSpec.API_KEY);
    }

    @Test
    void plainGetWithoutUpgradeIs400UpgradeRequired() {
      RunningServer s = start();
      RawHttp.Response raw = RawHttp.get(s.port(), "/ws", Map.of());
      assertEquals(400, raw.status());
      assertEquals("upgrade_required", raw.json().path("error").asText());
    }

    @Test
    void wsWithoutAWholeUpgradeIs400ForEveryMethod() {
      RunningServer s = start();
      RawHttp.Response post = RawHttp.send(s.port(), "POST /ws HTTP/1.1\r\nHost: x\r\n"
          + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
      assertEquals(400, post.status(), post.body());
      assertEquals("upgrade_required", post.json().path("error").asText());
      // upgrade headers without a key are no handshake either
      RawHttp.Response keyless = RawHttp.send(s.port(), "GET /ws HTTP/1.1\r\nHost: x\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertEquals(400, keyless.status(), keyless.body());
      assertEquals("upgrade_required", keyless.json().path("error").asText());
    }

    @Test
    void anUpgradeOfAnyOtherPathIsAPlainRequest() {
      RunningServer s = start();
      String token = s.tokens().user("alice").sign();
      RawHttp.Response slash = RawHttp.get(s.port(), "/ws/?token=" + token,
          RawHttp.upgradeHeaders());
      assertEquals(400, slash.status(), slash.body());
      assertEquals("upgrade_required", slash.json().path("error").asText());
      RawHttp.Response health = RawHttp.get(s.port(), "/health", RawHttp.upgradeHeaders());
      assertEquals(200, health.status(), health.body());
    }

    @Test
    void theSubprotocolIsAnsweredOnlyWhenOffered() {
      RunningServer s = start();
      String token = s.tokens().user("alice").sign();
      try (RawWebSocket offered = RawHttp.upgrade(s.port(), "/ws",
          Map.of("Sec-WebSocket-Protocol", "realtime.v1, bearer." + token))) {
        assertEquals("realtime.v1", offered.header("Sec-WebSocket-Protocol"));
        assertTrue(offered.readFrame().text().contains("\"welcome\""));
      }
      try (RawWebSocket plain = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of())) {
        assertFalse(plain.headers().containsKey("sec-websocket-protocol"),
            plain.headers().toString());
      }
    }

    @Test
    void the101CarriesOnlyRfc6455HeadersAndNeverTheToken() {
      RunningServer s = start();
      String token = s.tokens().user("alice").sign();
      try (RawWebSocket c = RawHttp.upgrade(s.port(), "/ws?token=" + token,
          Map.of("Origin", "https://app.example"))) {
        assertEquals("websocket", c.header("Upgrade"));
        assertFalse(c.headers().containsKey("sec-websocket-location"),
            "older drafts' header, URL and all");
        assertFalse(c.headers().containsKey("origin"));
        assertFalse(c.headers().toString().contains(token), c.headers().toString());
      }
    }

    /**
     * Browsers always offer permessage-deflate; compressing would cost a deflate per recipient
     * of every broadcast, so every transport declines it and frames go out as encoded, once.
     */
    @Test
    void compressionOffersAreDeclined() {
      RunningServer s = start();
      String token = s.tokens().user("alice").sign();
      try (RawWebSocket c = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of(
          "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
        assertFalse(c.headers().containsKey("sec-websocket-extensions"), c.headers().toString());
        assertTrue(c.readFrame().text().startsWith("{\"type\":\"welcome\""));
      }
    }
  }


  @Nested
  class Frames {
    @Test
    void pingIsAnsweredWithPongRepeatingRef() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      c.send("{\"type\":\"ping\",\"ref\":\"p1\"}");
      assertEquals("{\"type\":\"pong\",\"ref\":\"p1\"}", c.next().toString());
    }

    @Test
    void clientFramesAreAnsweredOneAtATimeInOrder() {
      RunningServer s = start();
      try (RawWebSocket c = rawClient(s, "alice")) {
        for (int i = 0; i < 50; i++) { // all written before the first answer is read
          c.sendText("{\"type\":\"ping\",\"ref\":\"" + i + "\"}");
        }
        for (int i = 0; i < 50; i++) {
          assertEquals("{\"type\":\"pong\",\"ref\":\"" + i + "\"}",
              c.awaitFrame(RawWebSocket.Frame.TEXT, 5).text());
        }
      }
    }

    @Test
    void malformedJsonIsBadRequestAndTheConnectionStaysOpen() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      c.send("{oops");
      JsonNode error = c.next("error");
      assertEquals("bad_request", error.path("code").asText());
      assertFalse(error.has("ref"));
      c.send("{\"type\":\"subscribe\",\"ref\":\"s1\"}");
      JsonNode missing = c.next("error");
      assertEquals("s1", missing.path("ref").asText());
      assertEquals("bad_request", missing.path("code").asText());
      assertTrue(missing.path("message").asText().contains("topic"), missing.toString());
      c.send("{\"type\":\"subscribe\",\"topic\":7,\"ref\":\"s2\"}");
      assertEquals("bad_request", c.next("error").path("code").asText());
      c.send("{\"type\":\"ping\",\"ref\":\"still-open\"}");
      assertEquals("still-open", c.next("pong").path("ref").asText());
    }

    @Test
    void unknownTypeIsUnknownTypeAndHandledTypesReachTheApplication() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      c.send("{\"type\":\"dance\",\"ref\":\"d\"}");
      JsonNode error = c.next("error");
      assertEquals("unknown_type", error.path("code").asText());
      assertEquals("d", error.path("ref").asText());
      c.send("{\"type\":\"" + RunningServer.ECHO_TYPE + "\",\"ref\":\"e\",\"x\":1}");
      assertEquals("{\"type\":\"ack\",\"ref\":\"e\"}", c.next().toString());
      c.send("{\"type\":\"" + RunningServer.REFUSE_TYPE + "\",\"ref\":\"r\"}");
      assertEquals("nope", c.next("error").path("code").asText());
    }

    @Test
    void binaryFramesAreRefusedWithAnError() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      c.socket().sendBinary(new byte[] {1, 2, 3});
      assertEquals("unsupported_frame", c.next("error").path("code").asText());
      c.send("{\"type\":\"ping\"}");
      assertEquals("{\"type\":\"pong\"}", c.next().toString());
    }

    @Test
    void aFragmentedTextMessageIsOneMessageEvenWithACharacterSplitAcrossFragments() {
      RunningServer s = start();
      try (RawWebSocket c = rawClient(s, "alice")) {
        byte[] whole = "{\"type\":\"ping\",\"ref\":\"caf\u00e9\"}".getBytes(UTF_8);
        int split = whole.length - 3; // between the two bytes of the e-acute
        c.sendFragments(RawWebSocket.Frame.TEXT, List.of(Arrays.copyOfRange(whole, 0, 5),
            Arrays.copyOfRange(whole, 5, split), Arrays.copyOfRange(whole, split, whole.length)));
        assertEquals("{\"type\":\"pong\",\"ref\":\"caf\u00e9\"}",
            c.awaitFrame(RawWebSocket.Frame.TEXT, 5).text());
      }
    }

    @Test
    void aFragmentedBinaryMessageIsRefusedOnceAndTheConnectionStays() {
      RunningServer s = start();
      try (RawWebSocket c = rawClient(s, "alice")) {
        c.sendFragments(RawWebSocket.Frame.BINARY,
            List.of(new byte[] {1}, new byte[] {2, 3}, new byte[] {4}));
        JsonNode error = Json.parse(c.awaitFrame(RawWebSocket.Frame.TEXT, 5).text());
        assertEquals("unsupported_frame", error.path("code").asText());
        assertAnswersPings(c); // one error for the message, not one per fragment
      }
    }

    @Test
    void aProtocolPingIsAnsweredWithAPongCarryingItsPayload() {
      RunningServer s = start();
      try (RawWebSocket c = rawClient(s, "alice")) {
        c.sendFrame(RawWebSocket.Frame.PING, "are-you-there".getBytes(UTF_8));
        assertEquals("are-you-there", c.awaitFrame(RawWebSocket.Frame.PONG, 5).text());
        assertAnswersPings(c);
      }
    }

    /** The next text frame {@code c} gets answers a ping sent now: nothing else came first. */
    private void assertAnswersPings(RawWebSocket c) {
      c.sendText("{\"type\":\"ping\",\"ref\":\"still-here\"}");
      assertEquals("{\"type\":\"pong\",\"ref\":\"still-here\"}",
          c.awaitFrame(RawWebSocket.Frame.TEXT, 5).text());
    }

    @Test
    void topicsFollowTheTokensPatterns() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").topics("order:*", "user:{sub}").sign());
      c.send("{\"type\":\"subscribe\",\"topic\":\"order:42\",\"ref\":\"1\"}");
      assertEquals("{\"type\":\"ack\",\"ref\":\"1\"}", c.next().toString());
      c.send("{\"type\":\"subscribe\",\"topic\":\"user:alice\",\"ref\":\"2\"}");
      assertEquals("ack", c.next().path("type").asText());
      c.send("{\"type\":\"subscribe\",\"topic\":\"user:bob\",\"ref\":\"3\"}");
      assertEquals("forbidden", c.next("error").path("code").asText());
      c.send("{\"type\":\"subscribe\",\"topic\":\"secret\",\"ref\":\"4\"}");
      assertEquals("forbidden", c.next("error").path("code").asText());
      c.send("{\"type\":\"subscribe\",\"topic\":\"bad topic\",\"ref\":\"5\"}");
      assertEquals("invalid_topic", c.next("error").path("code").asText());
      c.send("{\"type\":\"unsubscribe\",\"topic\":\"order:42\",\"ref\":\"6\"}");
      assertEquals("{\"type\":\"ack\",\"ref\":\"6\"}", c.next().toString());
    }

    @Test
    void sinceReplaysMissedMessagesInOrderThenLiveOnes() {
      RunningServer s = start();
      ApiClient api = api(s);
      String token = s.tokens().user("alice").topics("order:*").sign();
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        ApiClient.Reply r = api.publish("topic", "order:1", "order.updated", "{\"n\":" + i + "}");
        assertEquals(202, r.status(), r.body());
        ids.add(r.json().path("id").asText());
      }
      Client c = connect(s, token);
      c.send("{\"type\":\"subscribe\",\"topic\":\"order:1\",\"since\":\"" + ids.get(0)
          + "\",\"ref\":\"r\"}");
      List<JsonNode> frames = List.of(c.next(), c.next(), c.next());
      JsonNode ack = frames.stream().filter(f -> f.path("type").asText().equals("ack"))
          .findFirst().orElseThrow(() -> new AssertionError("no ack in " + frames));
      assertEquals("{\"type\":\"ack\",\"ref\":\"r\",\"recovered\":true}", ack.toString());
      List<JsonNode> replayed = frames.stream()
          .filter(f -> f.path("type").asText().equals("order.updated")).toList();
      assertEquals(List.of(ids.get(1), ids.get(2)),
          replayed.stream().map(f -> f.path("id").asText()).toList());
      assertEquals("order:1", replayed.get(0).path("topic").asText());
      assertEquals("{\"n\":2}", replayed.get(0).path("payload").toString());
      ApiClient.Reply live = api.publish("topic", "order:1", "order.updated", "{\"n\":4}");
      JsonNode next = c.next("order.updated");
      assertEquals(live.json().path("id").asText(), next.path("id").asText(), "no duplicates");
    }

    @Test
    void sinceBeyondHistoryIsRecoveredFalse() {
      RunningServer s = start();
      api(s).publish("topic", "order:1", "order.updated", "1");
      Client c = connect(s, s.tokens().user("alice").topics("order:*").sign());
      c.send("{\"type\":\"subscribe\",\"topic\":\"order:1\",\"since\":\"5-otherepoch\","
          + "\"ref\":\"r\"}");
      List<JsonNode> skipped = new ArrayList<>();
      JsonNode ack = c.socket().awaitFrame(f -> f.path("type").asText().equals("ack"), WAIT,
          skipped);
      assertFalse(ack.path("recovered").asBoolean(true), ack.toString());
    }

    @Test
    void clientPublishNeedsPermissionAndAnAllowedTopic() {
      RunningServer s = start();
      Client reader = connect(s, s.tokens().user("bob").topics("chat:*").sign());
      reader.send("{\"type\":\"subscribe\",\"topic\":\"chat:1\",\"ref\":\"s\"}");
      reader.next("ack");
      Client writer = connect(s, s.tokens().user("alice").topics("chat:*")
          .permissions("realtime:publish").sign());
      writer.send("{\"type\":\"publish\",\"topic\":\"chat:1\",\"event\":\"chat.message\","
          + "\"payload\":{\"text\":\"hi\"},\"ref\":\"w\"}");
      assertEquals("{\"type\":\"ack\",\"ref\":\"w\"}", writer.next().toString());
      JsonNode got = reader.next("chat.message");
      assertEquals("chat:1", got.path("topic").asText());
      assertEquals("{\"text\":\"hi\"}", got.path("payload").toString());
      assertFalse(got.path("id").asText().isBlank());
      assertTrue(got.path("ts").asText().endsWith("Z"), got.toString());

      writer.send("{\"type\":\"publish\",\"topic\":\"news\",\"event\":\"x\",\"payload\":1,"
          + "\"ref\":\"n\"}");
      assertEquals("forbidden", writer.next("error").path("code").asText());
      Client noPermission = connect(s, s.tokens().user("carol").topics("chat:*").sign());
      noPermission.send("{\"type\":\"publish\",\"topic\":\"chat:1\",\"event\":\"x\","
          + "\"payload\":1,\"ref\":\"c\"}");
      JsonNode refused = noPermission.next("error");
      assertEquals("forbidden", refused.path("code").asText());
      assertEquals("c", refused.path("ref").asText());
    }

    @Test
    void refreshKeepsTheConnectionPastTheOldExpiry() {
      ManualTime time = new ManualTime(); // expiry when the test says, not when the machine can
      RunningServer s = start(ServerSpec.defaults().withTime(time).withTokenSkew(Duration.ZERO)
          .settings(c -> c.withClockSkew(Duration.ZERO)));
      Client stale = connect(s, s.tokens().user("alice").expiresIn(Duration.ofSeconds(2)).sign());
      Client fresh = connect(s, s.tokens().user("alice").expiresIn(Duration.ofSeconds(2)).sign());
      fresh.send("{\"type\":\"refresh\",\"token\":\"" + s.tokens().user("alice").sign()
          + "\",\"ref\":\"f\"}");
      assertEquals("{\"type\":\"ack\",\"ref\":\"f\"}", fresh.next().toString());
      fresh.send("{\"type\":\"refresh\",\"token\":\"" + s.tokens().user("bob").sign()
          + "\",\"ref\":\"b\"}");
      assertEquals("unauthorized", fresh.next("error").path("code").asText());
      fresh.send("{\"type\":\"refresh\",\"token\":\"garbage\",\"ref\":\"g\"}");
      assertEquals("unauthorized", fresh.next("error").path("code").asText());
      // both tokens had the same exp: once the stale one is closed, the fresh one is past it
      time.advance(Duration.ofSeconds(2));
      assertEquals(4001, stale.socket().awaitClose(WAIT).code());
      fresh.send("{\"type\":\"ping\",\"ref\":\"alive\"}");
      assertEquals("alive", fresh.next("pong").path("ref").asText());
    }

    @Test
    void presenceTellsWatchersWhoJoinsAndLeaves() {
      RunningServer s = start();
      Client alice = connect(s, s.tokens().user("alice").topics("room:*").sign());
      alice.send("{\"type\":\"subscribe\",\"topic\":\"room:1\",\"presence\":true,\"ref\":\"a\"}");
      assertEquals("ack", alice.next().path("type").asText());
      JsonNode initial = alice.next("presence");
      assertEquals("[\"alice\"]", initial.path("joins").toString());
      Client bob = connect(s, s.tokens().user("bob").topics("room:*").sign());
      bob.send("{\"type\":\"subscribe\",\"topic\":\"room:1\",\"ref\":\"b\"}");
      bob.next("ack");
      JsonNode join = alice.next("presence");
      assertEquals("room:1", join.path("topic").asText());
      assertEquals("[\"bob\"]", join.path("joins").toString());
      ApiClient.Reply who = api(s).call("GET", "/api/v1/presence/room:1", "");
      assertEquals("{\"topic\":\"room:1\",\"users\":[\"alice\",\"bob\"]}", who.body());
      bob.socket().close();
      JsonNode leave = alice.next("presence");
      assertEquals("[\"bob\"]", leave.path("leaves").toString());
    }
  }


  @Nested
  class CloseCodes {
    @Test
    void oversizedMessagesAreClosedWith1009AndCountedAsTooBig() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxFrameBytes(1024)));
      Client text = connect(s, s.tokens().user("alice").sign());
      Client binary = connect(s, s.tokens().user("bob").sign());
      text.send("{\"type\":\"echo\",\"pad\":\"" + "x".repeat(2000) + "\"}");
      assertEquals(1009, text.socket().awaitClose(WAIT).code());
      binary.socket().sendBinary(new byte[2000]);
      assertEquals(1009, binary.socket().awaitClose(WAIT).code());
      assertStats(api(s), 0, 0);
      assertEquals(2, s.events().count("closed:message_too_big"));
    }

    @Test
    void aMessageOverTheLimitInFragmentsUnderItIsClosedWith1009() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxFrameBytes(1024)));
      byte[] part = new byte[600];
      Arrays.fill(part, (byte) ' '); // JSON whitespace: only the size is wrong
      for (int opcode : new int[] {RawWebSocket.Frame.TEXT, RawWebSocket.Frame.BINARY}) {
        try (RawWebSocket c = rawClient(s, "alice")) {
          c.sendFragments(opcode, List.of(part, part));
          assertEquals(1009, c.awaitClose(5).closeCode(), "opcode " + opcode);
        }
      }
      assertStats(api(s), 0, 0);
      assertEquals(2, s.events().count("closed:message_too_big"));
    }

    @Test
    void aMessageJustUnderTheLimitPasses() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxFrameBytes(1024)));
      Client c = connect(s, s.tokens().user("alice").sign());
      String frame = "{\"type\":\"ping\",\"ref\":\"" + "x".repeat(990) + "\"}";
      assertTrue(frame.length() <= 1024);
      c.send(frame);
      assertEquals("pong", c.next().path("type").asText());
    }

    @Test
    void aClientInitiatedCloseIsEchoedAndEndsTheConnection() {
      RunningServer s = start();
      try (RawWebSocket c = rawClient(s, "alice")) {
        c.sendClose(1000);
        assertEquals(1000, c.awaitClose(5).closeCode());
        assertTrue(c.endsWithin(Duration.ofSeconds(2)), "the server kept the socket open");
      }
      assertStats(api(s), 0, 0);
    }

    @Test
    void slowConsumerIsClosedWith1013() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withSendQueue(8)));
      String token = s.tokens().user("slow").sign();
      try (RawWebSocket raw = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of(), 4096)) {
        ApiClient api = api(s);
        String payload = "\"" + "p".repeat(32 * 1024) + "\"";
        int published = 0;
        boolean gone = false;
        while (published < 2000 && !gone) { // never reading: the queue must overflow
          ApiClient.Reply r = api.publish("user", "slow", "bulk", payload);
          assertEquals(202, r.status(), r.body());
          // the API of another node cannot see the reader go: ask the reader's node
          gone = s.clustered() ? s.events().count("closed:slow_consumer") == 1
              : r.json().path("recipients").asInt() == 0;
          published++;
        }
        assertTrue(gone, "still delivering after " + published + " messages");
        RawWebSocket.Frame close = raw.awaitClose(published + 10);
        assertEquals(1013, close.closeCode());
      }
    }

    @Test
    void expiredTokenClosesWith4001() {
      ManualTime time = new ManualTime();
      RunningServer s = start(ServerSpec.defaults().withTime(time).withTokenSkew(Duration.ZERO)
          .settings(c -> c.withClockSkew(Duration.ZERO)));
      Client c = connect(s, s.tokens().user("alice").expiresIn(Duration.ofSeconds(2)).sign());
      time.advance(Duration.ofSeconds(2));
      RecordingSocket.Close close = c.socket().awaitClose(WAIT);
      assertEquals(4001, close.code());
    }

    @Test
    void kickClosesWith4003() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      ApiClient.Reply r = api(s).call("DELETE", "/api/v1/connections/" + c.id(), "");
      assertEquals(204, r.status(), r.body());
      assertEquals(4003, c.socket().awaitClose(WAIT).code());
      // in a cluster too: the node the id names answers that it no longer holds it
      assertEquals(404, api(s).call("DELETE", "/api/v1/connections/" + c.id(), "").status());
    }

    @Test
    void serverPingsAndPongsKeepAConnectionAlive() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withHeartbeat(Duration.ofSeconds(1))));
      Client c = connect(s, s.tokens().user("alice").sign());
      c.socket().awaitPings(3, WAIT); // three intervals: silence for two would have closed it
      c.send("{\"type\":\"ping\",\"ref\":\"alive\"}");
      assertEquals("alive", c.next("pong").path("ref").asText());
    }

    @Test
    void silentClientIsClosedAfterTwoHeartbeats() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withHeartbeat(Duration.ofSeconds(1))));
      String token = s.tokens().user("alice").sign();
      try (RawWebSocket raw = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of())) {
        RawWebSocket.Frame welcome = raw.readFrame();
        assertTrue(welcome.text().contains("\"welcome\""));
        assertEquals(1001, raw.awaitClose(20).closeCode()); // pings come, never answered
      }
    }

    @Test
    void drainClosesEveryConnectionWith1001() throws Exception {
      RunningServer s = start();
      Client a = connect(s, s.tokens().user("alice").sign());
      Client b = connect(s, s.tokens().user("bob").sign());
      CompletableFuture<Boolean> stopped = s.drainAsync(WAIT);
      assertEquals(1001, a.socket().awaitClose(WAIT).code());
      assertEquals(1001, b.socket().awaitClose(WAIT).code());
      assertTrue(stopped.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS), "clean drain");
    }

    @Test
    void whileDrainingUpgradesAre503AndHealthIsDraining() throws Exception {
      RunningServer s = start();
      String token = s.tokens().user("holder").sign();
      RawWebSocket holder =
          track(RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of(), 4096));
      holder.setReadTimeout(WAIT);
      // its welcome, and nothing more: a client that has its welcome is routable
      assertTrue(holder.readFrame().text().contains("\"welcome\""));
      // the holder never reads: with ~19 MB behind it (far more than socket buffers, far
      // less than its queue) the drain's flushing close cannot finish while we look
      ApiClient api = api(s);
      String payload = "\"" + "p".repeat(32 * 1024) + "\"";
      for (int i = 0; i < 600; i++) {
        assertEquals(s.recipients(1), api.publish("user", "holder", "bulk", payload).json()
            .path("recipients").asInt(), "message " + i);
      }
      CompletableFuture<Boolean> stopped = s.drainAsync(Duration.ofSeconds(20));
      // the draining node's health: in a cluster, the one the holder is connected to
      RawHttp.Response health = RawHttp.get(s.port(), "/health", Map.of());
      for (int i = 0; i < 500 && health.status() == 200; i++) { // until the drain has begun
        health = RawHttp.get(s.port(), "/health", Map.of());
      }
      assertEquals(503, health.status());
      assertEquals(health(s, "DRAINING"), health.body());
      RawHttp.Response refused = RawHttp.get(s.port(), "/ws?token=" + token,
          RawHttp.upgradeHeaders());
      assertEquals(503, refused.status());
      assertEquals("shutting_down", refused.json().path("error").asText());
      assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
      assertFalse(stopped.isDone(), "the drain waits for the held socket");
      holder.close();
      assertTrue(stopped.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS),
          "the last socket going away ends the drain");
    }
  }


  @Nested
  class Routing {
    @Test
    void eachKindReachesExactlyItsConnections() {
      RunningServer s = start();
      ApiClient api = api(s);
      Client alice1 = connect(s, s.tokens().user("alice").roles("admin").sign());
      Client alice2 = connect(s, s.tokens().user("alice").roles("admin").sign());
      Client bob = connect(s, s.tokens().user("bob").roles("support").sign());
      Client carol = connect(s, s.tokens().user("carol").topics("news").sign());
      carol.send("{\"type\":\"subscribe\",\"topic\":\"news\",\"ref\":\"s\"}");
      carol.next("ack");
      Client[] all = {alice1, alice2, bob, carol};

      ApiClient.Reply r = api.publish("broadcast", null, "hello", "{}");
      assertEquals(s.recipients(4), r.json().path("recipients").asInt());
      for (Client c : all) {
        assertEquals("hello", c.next().path("type").asText());
      }
      assertNextIsMarker(api, 1, all);

      r = api.publish("user", "alice", "for-alice", "1");
      assertEquals(s.recipients(2), r.json().path("recipients").asInt());
      assertEquals("for-alice", alice1.next().path("type").asText());
      assertEquals("for-alice", alice2.next().path("type").asText());
      assertNextIsMarker(api, 2, all);

      r = api.publish("role", "support", "for-support", "1");
      assertEquals(s.recipients(1), r.json().path("recipients").asInt());
      assertEquals("for-support", bob.next().path("type").asText());
      assertNextIsMarker(api, 3, all);

      r = api.publish("connection", alice2.id(), "for-tab", "1");
      assertEquals(s.recipients(1), r.json().path("recipients").asInt());
      assertEquals("for-tab", alice2.next().path("type").asText());
      assertNextIsMarker(api, 4, all);

      r = api.publish("topic", "news", "headline", "{\"t\":\"x\"}");
      assertEquals(s.recipients(1), r.json().path("recipients").asInt());
      JsonNode news = carol.next();
      assertEquals("headline", news.path("type").asText());
      assertEquals("news", news.path("topic").asText());
      assertNextIsMarker(api, 5, all);
      assertFalse(news.has("ref"));
    }

    @Test
    void aClosedConnectionReceivesNothingMore() {
      RunningServer s = start();
      Client alice = connect(s, s.tokens().user("alice").sign());
      alice.socket().close();
      api(s).call("DELETE", "/api/v1/connections/" + alice.id(), ""); // may already be gone
      ApiClient.Reply r = api(s).publish("user", "alice", "late", "1");
      assertEquals(s.recipients(0), r.json().path("recipients").asInt());
    }

    @Test
    void messagesFromOnePublisherArriveInOrder() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      ApiClient api = api(s);
      for (int i = 0; i < 50; i++) {
        api.publish("user", "alice", "seq", String.valueOf(i));
      }
      for (int i = 0; i < 50; i++) {
        assertEquals(i, c.next("seq").path("payload").asInt());
      }
    }
  }


  @Nested
  class ServerApi {
    @Test
    void publishAnswers202WithIdAndRecipients() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("u-1").sign());
      ApiClient.Reply r = api(s).call("POST", "/api/v1/messages",
          "{\"target\":{\"kind\":\"user\",\"value\":\"u-1\"},\"type\":\"notification\","
              + "\"payload\":{\"message\":\"New order\"}}");
      assertEquals(202, r.status(), r.body());
      assertEquals(s.recipients(1), r.json().path("recipients").asInt());
      JsonNode got = c.next("notification");
      assertEquals(r.json().path("id").asText(), got.path("id").asText());
      assertEquals("{\"message\":\"New order\"}", got.path("payload").toString());
      assertFalse(got.has("topic"), "topic only for topic messages");
    }

    @Test
    void credentialsAreApiKeyOrAdminJwtElse401() {
      RunningServer s = start();
      ApiClient api = api(s);
      String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
      assertEquals(202, api.call("POST", "/api/v1/messages", body).status());
      String admin = s.tokens().user("ops").permissions("realtime:admin").sign();
      assertEquals(202, api.raw("POST", "/api/v1/messages", body,
          "Authorization", "Bearer " + admin).status());
      ApiClient.Reply none = api.raw("POST", "/api/v1/messages", body);
      assertEquals(401, none.status());
      assertEquals("unauthorized", none.json().path("error").asText());
      assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
      String user = s.tokens().user("alice").sign();
      assertEquals(401, api.raw("POST", "/api/v1/messages", body,
          "Authorization", "Bearer " + user).status());
      assertEquals(401, api.raw("GET", "/api/v1/stats", "",
          "Authorization", "Bearer wrong-key").status());
    }

    @Test
    void reservedTypesAndBadInputAre400() {
      RunningServer s = start();
      ApiClient api = api(s);
      for (String reserved : List.of("welcome", "ack", "error", "pong", "ping", "presence",
          "subscribe", "unsubscribe", "publish", "refresh")) {
        ApiClient.Reply r = api.publish("broadcast", null, reserved, "1");
        assertEquals(400, r.status(), reserved + ": " + r.body());
        assertEquals("bad_request", r.json().path("error").asText());
      }
      assertEquals(400, api.call("POST", "/api/v1/messages", "{not json").status());
      assertEquals(400, api.publish("planet", "x", "t", "1").status());
      assertEquals(400, api.publish("topic", "bad topic", "t", "1").status());
    }

    @Test
    void idempotencyKeyMakesARetryAnswerTheSameWithoutPublishingAgain() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      ApiClient api = api(s);
      String body = "{\"target\":{\"kind\":\"user\",\"value\":\"alice\"},\"type\":\"once\","
          + "\"payload\":1}";
      ApiClient.Reply first = api.call("POST", "/api/v1/messages", body, "Idempotency-Key", "k1");
      ApiClient.Reply retry = api.call("POST", "/api/v1/messages", body, "Idempotency-Key", "k1");
      assertEquals(202, retry.status());
      assertEquals(first.body(), retry.body());
      assertEquals("once", c.next().path("type").asText());
      assertNextIsMarker(api, 1, c); // the retry delivered nothing
    }

    @Test
    void serverSideSubscribeIs204And404ForUnknownConnections() {
      RunningServer s = start();
      Client c = connect(s, s.tokens().user("alice").sign());
      ApiClient api = api(s);
      ApiClient.Reply r = api.call("POST", "/api/v1/connections/" + c.id() + "/subscriptions",
          "{\"topic\":\"order:123\"}");
      assertEquals(204, r.status(), r.body());
      api.publish("topic", "order:123", "order.paid", "1");
      assertEquals("order:123", c.next("order.paid").path("topic").asText());
      assertEquals(404, api.call("POST", "/api/v1/connections/nope/subscriptions",
          "{\"topic\":\"a\"}").status());
    }

    @Test
    void statsCountConnectionsUsersAndTopics() {
      RunningServer s = start();
      connect(s, s.tokens().user("alice").sign());
      connect(s, s.tokens().user("alice").sign());
      Client bob = connect(s, s.tokens().user("bob").topics("t").sign());
      bob.send("{\"type\":\"subscribe\",\"topic\":\"t\",\"ref\":\"1\"}");
      bob.next("ack");
      if (!s.clustered()) {
        assertEquals("{\"connections\":3,\"users\":2,\"topics\":1}",
            api(s).call("GET", "/api/v1/stats", "").body());
        return;
      }
      // the API's node knows the clients' node from its heartbeats (PROTOCOL.md section 8)
      JsonNode[] stats = new JsonNode[1];
      await(() -> (stats[0] = api(s).call("GET", "/api/v1/stats", "").json())
          .path("connections").asInt() == 3, () -> "cluster stats: " + stats[0]);
      assertEquals(2, stats[0].path("users").asInt(), stats[0].toString());
      assertEquals(1, stats[0].path("topics").asInt(), stats[0].toString());
      JsonNode nodes = stats[0].path("nodes");
      assertEquals(2, nodes.size(), stats[0].toString());
      int withClients = nodes.get(0).path("connections").asInt() == 3 ? 0 : 1;
      assertEquals(2, nodes.get(withClients).path("users").asInt(), nodes.toString());
      assertEquals(1, nodes.get(withClients).path("topics").asInt(), nodes.toString());
      assertEquals(0, nodes.get(1 - withClients).path("connections").asInt(), nodes.toString());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
      RunningServer s = start();
      ApiClient.Reply missing = api(s).call("GET", "/api/v1/nothing", "");
      assertEquals(404, missing.status());
      assertEquals("not_found", missing.json().path("error").asText());
      ApiClient.Reply method = api(s).call("PUT", "/api/v1/messages", "{}");
      assertEquals(405, method.status());
      assertNotEquals("", method.header("Allow"));
    }

    @Test
    void bodiesOverTheLimitAre413WithOrWithoutContentLength() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxRequestBytes(1024)));
      String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
      RawHttp.Response withLength = RawHttp.send(s.apiPort(), publishHead()
          + "Content-Length: " + big.length() + "\r\nConnection: close\r\n\r\n" + big);
      assertEquals(413, withLength.status(), withLength.body());
      assertEquals("bad_request", withLength.json().path("error").asText());
      RawHttp.Response chunked = RawHttp.send(s.apiPort(), publishHead() + chunked(big));
      assertEquals(413, chunked.status(), chunked.body());
      assertEquals("bad_request", chunked.json().path("error").asText());
    }

    @Test
    void aSmallChunkedBodyStillReachesTheRoutes() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withMaxRequestBytes(1024)));
      String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
      RawHttp.Response answer = RawHttp.send(s.apiPort(), publishHead() + chunked(body));
      assertEquals(202, answer.status(), answer.body());
    }

    @Test
    void presencePathsMayCarryEscapedTopicCharacters() {
      RunningServer s = start();
      String[][] cases = {
          {"/api/v1/presence/chat:room", "chat:room"},
          {"/api/v1/presence/chat%3Aroom", "chat:room"},
          {"/api/v1/presence/chat/room", "chat/room"},
          {"/api/v1/presence/chat%2Froom", "chat/room"}};
      for (String[] c : cases) {
        RawHttp.Response answer = RawHttp.get(s.apiPort(), c[0],
            Map.of("Authorization", "Bearer " + ServerSpec.API_KEY));
        assertEquals(200, answer.status(), c[0] + " -> " + answer.body());
        assertEquals("{\"topic\":\"" + c[1] + "\",\"users\":[]}", answer.body(), c[0]);
      }
    }

    /** A publish request's head up to its framing headers. */
    private String publishHead() {
      return "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
          + ServerSpec.API_KEY + "\r\nContent-Type: application/json\r\n";
    }

    /** The rest of a request carrying {@code body} in one chunk. */
    private String chunked(String body) {
      return "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }
  }


  @Nested
  class Operations {
    @Test
    void healthIsUp() {
      RunningServer s = start();
      ApiClient.Reply r = api(s).raw("GET", "/health", "");
      assertEquals(200, r.status());
      assertEquals(health(s, "UP"), r.body());
      assertTrue(r.header("Content-Type").startsWith("application/json"));
    }

    @Test
    void metricsArePrometheusTextFromTheApp() {
      RunningServer s = start();
      ApiClient.Reply r = api(s).raw("GET", "/metrics", "");
      assertEquals(200, r.status());
      assertEquals(ServerSpec.METRICS, r.body());
      assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
    }

    @Test
    void devModeServesTheDemoAndMintsTokensThatConnect() {
      RunningServer s = start(ServerSpec.defaults().settings(c -> c.withDevMode(true)));
      ApiClient api = api(s);
      ApiClient.Reply page = api.raw("GET", "/", "");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("<html"));
      ApiClient.Reply minted = api.raw("POST", "/dev/token",
          "{\"sub\":\"alice\",\"roles\":[\"admin\"]}");
      assertEquals(200, minted.status(), minted.body());
      String token = minted.json().path("token").asText();
      Client c = connect(s, "", b -> b.subprotocols("realtime.v1", "bearer." + token));
      assertEquals("[\"admin\"]", c.welcome().path("roles").toString());
      // anyone may mint a dev token: the API still needs realtime:admin (PROTOCOL.md section 7)
      String message = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"n\",\"payload\":{}}";
      String eve = api.raw("POST", "/dev/token", "{\"sub\":\"eve\"}").json().path("token")
          .asText();
      assertEquals(401, api.raw("POST", "/api/v1/messages", message, "Authorization",
          "Bearer " + eve).status(), "a dev token without realtime:admin");
      assertEquals(401, api.raw("GET", "/api/v1/stats", "", "Authorization", "Bearer " + token)
          .status(), "roles are not permissions");
      String admin = api.raw("POST", "/dev/token",
          "{\"sub\":\"ops\",\"permissions\":[\"realtime:admin\"]}").json().path("token").asText();
      assertEquals(202, api.raw("POST", "/api/v1/messages", message, "Authorization",
          "Bearer " + admin).status(), "a dev token with realtime:admin");
    }

    @Test
    void devRoutesDoNotExistOutsideDevMode() {
      RunningServer s = start();
      assertEquals(404, api(s).raw("GET", "/", "").status());
      assertEquals(404, api(s).raw("POST", "/dev/token", "{\"sub\":\"a\"}").status());
    }
  }

  /** A node's {@code /health} body: a node of a cluster adds how its backplane is. */
  private static String health(RunningServer s, String status) {
    return "{\"status\":\"" + status + "\"" + (s.clustered() ? ",\"backplane\":\"up\"" : "")
        + "}";
  }
}
