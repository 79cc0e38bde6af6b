package com.example.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.JwtSettings;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.NimbusTokenVerifier;
import io.realtime.adapter.undertow.UndertowRealtimeServer;
import io.realtime.adapter.web.WebTransport;
import io.realtime.core.RealtimeCore;
import io.realtime.core.RealtimeNode;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.UserCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding the core" code, compiled and run: the region between the markers
 * below is the README's code block (whitespace aside), which {@link #readmeShowsThisCode} checks,
 * so the README cannot drift from code that works. Not part of the orders example: drop it when
 * you copy this project.
 */
class EmbeddingTheCoreTest {
  private static final String BEGIN = "// README \"Embedding the core\" begin";
  private static final String END = "// README \"Embedding the core\" end";
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

  // README "Embedding the core" begin
  /** Starts realtime inside your service; node.close() drains its connections and stops it. */
  static RealtimeNode startRealtime(int port, String apiKey, byte[] jwtSecret) {
    RealtimeSettings settings = RealtimeSettings.defaults().withPort(port).withApiKey(apiKey);
    TokenVerifier verifier = new NimbusTokenVerifier(
        JwtSettings.of(new KeySource.Secret(jwtSecret)).withClockSkew(settings.clockSkew()));
    return RealtimeCore.builder(verifier).settings(settings)
        .userDirectory(principal -> new UserCheck.Allowed(principal)) // your user module here
        .start(WebTransport.of(UndertowRealtimeServer::new)); // or JettyRealtimeServer::new
  }

  /** Sends a "notification" to every device of {@code user}; never blocks. */
  static PublishResult notifyUser(RealtimeNode node, String user) {
    return node.publish().publish(new PublishRequest(
        Target.user(user), "notification", new RawJson("{\"message\":\"New order\"}")));
  }
  // README "Embedding the core" end

  @Test
  void theCodeServesClientsAndTheApi() throws Exception {
    byte[] secret = HmacTokenIssuer.randomSecret();
    try (RealtimeNode node = startRealtime(0, "test-api-key", secret)) {
      String token = new HmacTokenIssuer(new KeySource.Secret(secret))
          .issue("u-1", Set.of(), Set.of(), List.of(), Duration.ofMinutes(5));
      Frames frames = new Frames();
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .subprotocols("realtime.v1", "bearer." + token)
          .buildAsync(URI.create("ws://127.0.0.1:" + node.port() + "/ws"), frames)
          .get(10, TimeUnit.SECONDS);
      assertTrue(frames.next().contains("\"type\":\"welcome\""));

      PublishResult result = notifyUser(node, "u-1");

      assertEquals(1, assertInstanceOf(PublishResult.Published.class, result).recipients());
      String frame = frames.next();
      assertTrue(frame.contains("\"type\":\"notification\""), frame);
      assertTrue(frame.contains("\"payload\":{\"message\":\"New order\"}"), frame);
      socket.abort();

      HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.port() + "/api/v1/messages"))
          .header("Authorization", "Bearer test-api-key")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"target\":{\"kind\":\"user\","
              + "\"value\":\"u-1\"},\"type\":\"notification\",\"payload\":{}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, api.statusCode(), api::body);
    }
  }

  @Test
  void readmeShowsThisCode() throws IOException {
    String source = Files.readString(
        BASEDIR.resolve("src/test/java/com/example/readme/EmbeddingTheCoreTest.java"));
    int begin = source.indexOf(BEGIN + "\n");
    int end = source.indexOf(END, begin);
    assertTrue(begin >= 0 && end > begin, "markers missing");
    String marked = source.substring(begin + BEGIN.length() + 1, source.lastIndexOf('\n', end));

    String readme = Files.readString(BASEDIR.resolve("../../README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## Embedding the core\n");
    assertTrue(section >= 0, "README has no section \"Embedding the core\"");
    int open = readme.indexOf("```java\n", section);
    int close = readme.indexOf("\n```", open + 1);
    assertTrue(open > 0 && close > open, "no java code block in \"Embedding the core\"");
    String block = readme.substring(open + "```java\n".length(), close);

    assertEquals(normalized(marked), normalized(block),
        "README's \"Embedding the core\" differs from the code this test runs");
    assertTrue(block.lines().count() <= 20, "the README's snippet exceeds 20 lines");
  }

  private static String normalized(String code) {
    return code.strip().replaceAll("\\s+", " ");
  }

  /** Text frames as they arrive. */
  private static final class Frames implements WebSocket.Listener {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    String next() throws InterruptedException {
      String frame = queue.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within 10 s");
      }
      return frame;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        queue.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
