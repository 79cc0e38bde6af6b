package io.realtime.adapter.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSettings;
import io.realtime.adapter.web.WebUseCases;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.service.RealtimeCore;
import io.realtime.tck.ApiClient;
import io.realtime.tck.RawHttp;
import io.realtime.tck.RecordingSocket;
import io.realtime.tck.RunningServer;
import io.realtime.tck.ServerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the Undertow server beyond the wire contract: lifecycle and limits,
 * the close handshake Undertow leaves to its user, and reading off the I/O thread.
 */
class UndertowRealtimeServerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Lifecycle and HTTP limits, with a core whose verifier refuses every token. */
  @Nested
  class Lifecycle {
    private final RealtimeCore core = RealtimeCore.builder(new JacksonFrameCodec(),
        token -> new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE)).build();
    private UndertowRealtimeServer server;
    private UndertowRealtimeServer other;

    private WebAdapter web(WebSettings settings) {
      return WebAdapter.builder(settings, new WebUseCases(core.openConnection(),
          core.authenticate(), core.publish(), core.kick(), core.subscribeConnection(),
          core.presence(), core.stats(), core.drain())).build();
    }

    private WebSettings loopback() {
      return WebSettings.defaults().withHost("127.0.0.1").withPort(0).withApiKey("key")
          .withMaxRequestBytes(1024).withDrainTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
      if (other != null) {
        other.close();
      }
      if (server != null) {
        server.close();
      }
      core.close();
    }

    @Test
    void portZeroBindsAFreePortAndStartTwiceIsMisuse() {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      assertTrue(server.port() > 0);
      assertEquals("undertow", server.transport());
      assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void aTakenPortFailsToStartWithAClearError() {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      other = new UndertowRealtimeServer(web(loopback().withPort(server.port())));
      IllegalStateException e = assertThrows(IllegalStateException.class, other::start);
      assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
      other.close();
      assertFalse(core.drain().draining(), "closing a server that never served drains nothing");
    }

    @Test
    void stoppingTwiceIsHarmlessAndClosingAnUnstartedServerToo() {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      assertTrue(server.drainAndStop(Duration.ofSeconds(1)));
      assertTrue(server.drainAndStop(Duration.ofSeconds(1)));
      other = new UndertowRealtimeServer(web(loopback()));
      other.close();
      assertTrue(other.drainAndStop(Duration.ofSeconds(1)));
    }

    @Test
    void bodiesOverTheLimitAre413WithOrWithoutContentLength() throws IOException {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
      String withLength = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer key\r\nContent-Type: application/json\r\nContent-Length: "
          + big.length() + "\r\nConnection: close\r\n\r\n" + big;
      String answer = exchange(withLength);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"error\":\"bad_request\""), answer);
      String chunked = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer key\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
      answer = exchange(chunked);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"error\":\"bad_request\""), answer);
    }

    @Test
    void aSmallChunkedBodyStillReachesTheRoutes() throws IOException {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
      String request = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer key\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
      String answer = exchange(request);
      assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
    }

    @Test
    void wsWithoutAnUpgradeIs400ForEveryMethod() throws IOException {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      String post = exchange("POST /ws HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
          + "Connection: close\r\n\r\n{}");
      assertTrue(post.startsWith("HTTP/1.1 400"), post);
      assertTrue(post.contains("\"error\":\"upgrade_required\""), post);
      // upgrade headers without a key are no handshake either
      String keyless = exchange("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(keyless.startsWith("HTTP/1.1 400"), keyless);
      assertTrue(keyless.contains("\"error\":\"upgrade_required\""), keyless);
    }

    @Test
    void percentEncodedPathsReachTheRoutesStillEncoded() throws IOException {
      server = new UndertowRealtimeServer(web(loopback()));
      server.start();
      String answer = exchange("GET /api/v1/presence/room%3A1 HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer key\r\nConnection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("\"topic\":\"room:1\""), answer);
    }

    private String exchange(String request) throws IOException {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] head = new byte[64 * 1024];
        int n = 0;
        // read until the server closes, or until a whole answer is there (keep-alive)
        while (n < head.length) {
          int r = in.read(head, n, head.length - n);
          if (r < 0) {
            break;
          }
          n += r;
          String text = new String(head, 0, n, StandardCharsets.UTF_8);
          if (complete(text)) {
            break;
          }
        }
        return new String(head, 0, n, StandardCharsets.UTF_8);
      }
    }

    private boolean complete(String text) {
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return false;
      }
      String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
      int at = head.indexOf("content-length:");
      if (at < 0) {
        return false;
      }
      int eol = head.indexOf("\r\n", at);
      int length = Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).strip());
      return text.length() - end - 4 >= length;
    }
  }

  /** WebSocket behaviour on a full node (the conformance kit's), over the wire. */
  @Nested
  class Sockets {
    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build();
    private RunningServer node;

    private RunningServer start(ServerSpec spec) {
      node = RunningServer.start(spec, UndertowRealtimeServer::new);
      return node;
    }

    @AfterEach
    void stop() {
      if (node != null) {
        node.close();
      }
    }

    private RecordingSocket connect(String token) {
      RecordingSocket s = RecordingSocket.open(http, node.ws(""),
          b -> b.header("Authorization", "Bearer " + token));
      s.nextFrame("welcome", WAIT);
      return s;
    }

    @Test
    void theSubprotocolIsAnsweredOnlyWhenOffered() {
      start(ServerSpec.defaults());
      String token = node.tokens().user("alice").sign();
      try (WireClient offered = WireClient.upgrade(node.port(), "/ws",
          Map.of("Sec-WebSocket-Protocol", "realtime.v1, bearer." + token))) {
        assertEquals(101, offered.status());
        assertEquals("realtime.v1", offered.header("Sec-WebSocket-Protocol"));
        assertTrue(offered.read().text().contains("\"welcome\""));
      }
      try (WireClient plain = WireClient.upgrade(node.port(), "/ws?token=" + token, Map.of())) {
        assertEquals(101, plain.status());
        assertNull(plain.header("Sec-WebSocket-Protocol"));
      }
    }

    @Test
    void the101CarriesOnlyRfc6455HeadersAndNeverTheToken() {
      start(ServerSpec.defaults());
      String token = node.tokens().user("alice").sign();
      try (WireClient c = WireClient.upgrade(node.port(), "/ws?token=" + token,
          Map.of("Origin", "https://app.example"))) {
        assertEquals(101, c.status());
        assertEquals("websocket", c.header("Upgrade"));
        assertNull(c.header("Sec-WebSocket-Location"), "older drafts' header, URL and all");
        assertNull(c.header("Origin"));
        assertFalse(c.headers().toString().contains(token), c.headers().toString());
      }
    }

    @Test
    void anUpgradeOfAnyOtherPathIsAPlainRequest() {
      start(ServerSpec.defaults());
      String token = node.tokens().user("alice").sign();
      RawHttp.Response slash = RawHttp.get(node.port(), "/ws/?token=" + token,
          RawHttp.upgradeHeaders());
      assertEquals(400, slash.status(), slash.body());
      assertEquals("upgrade_required", slash.json().path("error").asText());
      RawHttp.Response health = RawHttp.get(node.port(), "/health", RawHttp.upgradeHeaders());
      assertEquals(200, health.status(), health.body());
    }

    @Test
    void oversizedMessagesAreClosedWith1009AndCountedAsTooBig() {
      start(ServerSpec.defaults().web(w -> w.withMaxFrameBytes(1024)));
      RecordingSocket binary = connect(node.tokens().user("alice").sign());
      RecordingSocket text = connect(node.tokens().user("bob").sign());
      try (binary; text) {
        binary.sendBinary(new byte[2000]);
        assertEquals(1009, binary.awaitClose(WAIT).code());
        text.send("{\"type\":\"ping\",\"ref\":\"" + "x".repeat(2000) + "\"}");
        assertEquals(1009, text.awaitClose(WAIT).code());
      }
      ApiClient api = new ApiClient(http, node);
      ApiClient.Reply stats = api.call("GET", "/api/v1/stats", "");
      for (int i = 0; i < 200 && stats.json().path("connections").asInt() != 0; i++) {
        stats = api.call("GET", "/api/v1/stats", ""); // the close may trail the client's view
      }
      assertEquals(0, stats.json().path("connections").asInt(), stats.body());
      assertEquals(2, node.events().count("closed:message_too_big"));
    }

    @Test
    void aMessageJustUnderTheLimitPasses() {
      start(ServerSpec.defaults().web(w -> w.withMaxFrameBytes(1024)));
      RecordingSocket s = connect(node.tokens().user("alice").sign());
      try (s) {
        String frame = "{\"type\":\"ping\",\"ref\":\"" + "x".repeat(990) + "\"}";
        assertTrue(frame.length() <= 1024);
        s.send(frame);
        assertEquals("pong", s.nextFrame(WAIT).path("type").asText());
      }
    }

    @Test
    void clientFramesAreAnsweredOneAtATimeInOrder() {
      start(ServerSpec.defaults());
      try (WireClient c = WireClient.upgrade(node.port(),
          "/ws?token=" + node.tokens().user("alice").sign(), Map.of())) {
        assertTrue(c.read().text().contains("\"welcome\""));
        for (int i = 0; i < 50; i++) { // all written before the first answer is read
          c.sendText("{\"type\":\"ping\",\"ref\":\"" + i + "\"}");
        }
        for (int i = 0; i < 50; i++) {
          assertEquals("{\"type\":\"pong\",\"ref\":\"" + i + "\"}", c.await(WireClient.TEXT, 5)
              .text());
        }
      }
    }

    @Test
    void aCloseAnsweredByThePeerEndsTheConnectionAtOnce() throws Exception {
      start(ServerSpec.defaults());
      try (WireClient c = WireClient.upgrade(node.port(),
          "/ws?token=" + node.tokens().user("alice").sign(), Map.of())) {
        welcomeId(c);
        long begin = System.nanoTime();
        CompletableFuture<Boolean> stopped = node.drainAsync(Duration.ofSeconds(20));
        assertEquals(1001, c.await(WireClient.CLOSE, 5).closeCode());
        c.sendClose(1001);
        // the drain ends when the socket is closed: well before the close timeout
        assertTrue(stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "clean drain");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertTrue(took.compareTo(UndertowRealtimeServer.CLOSE_TIMEOUT) < 0, "took " + took);
        assertTrue(c.endsWithin(Duration.ofSeconds(2)));
      }
    }

    @Test
    void aClientInitiatedCloseIsEchoedAndEndsTheConnection() {
      start(ServerSpec.defaults());
      try (WireClient c = WireClient.upgrade(node.port(),
          "/ws?token=" + node.tokens().user("alice").sign(), Map.of())) {
        welcomeId(c);
        c.sendClose(1000);
        assertEquals(1000, c.await(WireClient.CLOSE, 5).closeCode());
        assertTrue(c.endsWithin(Duration.ofSeconds(2)), "the server kept the socket open");
      }
      ApiClient api = new ApiClient(http, node);
      ApiClient.Reply stats = api.call("GET", "/api/v1/stats", "");
      for (int i = 0; i < 200 && stats.json().path("connections").asInt() != 0; i++) {
        stats = api.call("GET", "/api/v1/stats", ""); // the close task may trail the client's EOF
      }
      assertEquals(0, stats.json().path("connections").asInt(), stats.body());
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsCutAfterTheCloseTimeout() throws Exception {
      start(ServerSpec.defaults());
      try (WireClient c = WireClient.upgrade(node.port(),
          "/ws?token=" + node.tokens().user("alice").sign(), Map.of())) {
        welcomeId(c);
        long begin = System.nanoTime();
        CompletableFuture<Boolean> stopped = node.drainAsync(Duration.ofSeconds(20));
        assertEquals(1001, c.await(WireClient.CLOSE, 5).closeCode());
        // no answer: the drain still ends cleanly, once the close timeout has cut the socket
        assertTrue(stopped.get(UndertowRealtimeServer.CLOSE_TIMEOUT.toMillis() + 5000,
            TimeUnit.MILLISECONDS), "every socket closed within the drain timeout");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertTrue(took.compareTo(UndertowRealtimeServer.CLOSE_TIMEOUT) >= 0, "took " + took);
      }
    }

    @Test
    void socketsStillOpenWhenTheDrainTimesOutAreCut() throws Exception {
      start(ServerSpec.defaults());
      String token = node.tokens().user("holder").sign();
      try (WireClient holder = WireClient.upgrade(node.port(), "/ws?token=" + token, Map.of())) {
        welcomeId(holder);
        ApiClient api = new ApiClient(http, node);
        String payload = "\"" + "p".repeat(32 * 1024) + "\"";
        for (int i = 0; i < 300; i++) { // ~10 MB the holder never reads: the drain cannot finish
          api.publish("user", "holder", "bulk", payload);
        }
        CompletableFuture<Boolean> stopped = node.drainAsync(Duration.ofSeconds(1));
        assertFalse(stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "an unclean drain");
        assertTrue(holder.endsWithin(Duration.ofSeconds(10)), "the socket was cut at stop");
      }
    }

    private String welcomeId(WireClient c) {
      WireClient.Frame welcome = c.read();
      assertEquals(WireClient.TEXT, welcome.opcode());
      JsonNode json = io.realtime.tck.Json.parse(welcome.text());
      assertEquals("welcome", json.path("type").asText());
      return json.path("connectionId").asText();
    }
  }
}
