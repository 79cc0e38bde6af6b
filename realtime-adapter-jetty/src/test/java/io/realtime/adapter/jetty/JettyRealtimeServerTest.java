package io.realtime.adapter.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSettings;
import io.realtime.adapter.web.WebUseCases;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.service.RealtimeCore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What is particular to the Jetty server beyond the wire contract: lifecycle and limits. */
class JettyRealtimeServerTest {
  private final RealtimeCore core = RealtimeCore.builder(new JacksonFrameCodec(),
      token -> new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE)).build();
  private JettyRealtimeServer server;
  private JettyRealtimeServer other;

  private WebAdapter web(WebSettings settings) {
    return WebAdapter.builder(settings, new WebUseCases(core.openConnection(),
        core.authenticate(), core.publish(), core.kick(), core.subscribeConnection(),
        core.presence(), core.stats(), core.drain())).build();
  }

  private static WebSettings loopback() {
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
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    assertTrue(server.port() > 0);
    assertEquals("jetty", server.transport());
    assertThrows(IllegalStateException.class, server::start);
  }

  @Test
  void aTakenPortFailsToStartWithAClearError() {
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    other = new JettyRealtimeServer(web(loopback().withPort(server.port())));
    IllegalStateException e = assertThrows(IllegalStateException.class, other::start);
    assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
    other.close();
    assertFalse(core.drain().draining(), "closing a server that never served drains nothing");
  }

  @Test
  void stoppingTwiceIsHarmless() {
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    assertTrue(server.drainAndStop(Duration.ofSeconds(1)));
    assertTrue(server.drainAndStop(Duration.ofSeconds(1)));
  }

  @Test
  void bodiesOverTheLimitAre413WithOrWithoutContentLength() throws IOException {
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
    String withLength = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + big.length()
        + "\r\nConnection: close\r\n\r\n" + big;
    assertTrue(exchange(withLength).startsWith("HTTP/1.1 413"));
    String chunked = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close"
        + "\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
    String answer = exchange(chunked);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.contains("\"error\":\"bad_request\""), answer);
  }

  @Test
  void aSmallBodyStillReachesTheRoutes() throws IOException {
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    String request = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close"
        + "\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    String answer = exchange(request);
    assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
  }

  @Test
  void presencePathsMayCarryEscapedTopicCharacters() throws IOException {
    server = new JettyRealtimeServer(web(loopback()));
    server.start();
    String[][] cases = {
        {"/api/v1/presence/chat:room", "chat:room"},
        {"/api/v1/presence/chat%3Aroom", "chat:room"},
        {"/api/v1/presence/chat/room", "chat/room"},
        {"/api/v1/presence/chat%2Froom", "chat/room"}};
    for (String[] c : cases) {
      String answer = exchange("GET " + c[0] + " HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer key\r\nConnection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 200"), c[0] + " -> " + answer);
      assertTrue(answer.endsWith("{\"topic\":\"" + c[1] + "\",\"users\":[]}"), answer);
    }
  }

  private String exchange(String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
