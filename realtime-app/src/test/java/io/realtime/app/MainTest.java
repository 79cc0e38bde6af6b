package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.app.config.ConfigParser;
import io.realtime.app.config.Transport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MainTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String API_KEY = "test-api-key-123";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void configurationErrorExitsNonZeroNamingTheVariable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(Map.of("REALTIME_JWT_SECRET", "short"), new String[0],
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertEquals(Main.CONFIG_ERROR, status);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("REALTIME_JWT_SECRET"), text);
    assertTrue(!text.contains("short\n") && !text.contains("'short'"), "secret not echoed");
  }

  @Test
  void helpListsEveryVariable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(Map.of(), new String[] {"--help"}, new PrintStream(out),
        new PrintStream(new ByteArrayOutputStream())));
    String text = out.toString(StandardCharsets.UTF_8);
    for (String v : List.of("REALTIME_TRANSPORT", "REALTIME_PORT", "REALTIME_JWT_SECRET",
        "REALTIME_SEND_QUEUE", "REALTIME_HEARTBEAT_SECONDS", "REALTIME_BACKPLANE")) {
      assertTrue(text.contains(v), v);
    }
  }

  @Test
  void helpSaysWhereDevModeListensAndOffersRedis() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(Map.of(), new String[] {"--help"}, new PrintStream(out),
        new PrintStream(new ByteArrayOutputStream()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("127.0.0.1"), text);
    assertTrue(text.contains("realtime:admin"), text);
    assertTrue(text.contains("REALTIME_UPGRADE_RATE") && text.contains("REALTIME_UPGRADE_BURST"),
        text);
    String backplane = text.lines().filter(l -> l.contains("REALTIME_BACKPLANE")).findFirst()
        .orElseThrow();
    assertTrue(backplane.contains("memory") && backplane.contains("redis"), backplane);
    assertTrue(text.contains("REALTIME_REDIS_PREFIX") && text.contains("REALTIME_NODE_ID"), text);
  }

  @Test
  void versionPrintsTheBuildsVersionAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(Map.of(), new String[] {"--version"}, new PrintStream(out),
        new PrintStream(new ByteArrayOutputStream())));
    String text = out.toString(StandardCharsets.UTF_8).strip();
    assertTrue(text.matches("realtime \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), text);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPortInUseIsOneLineNamingThePortAndTheVariableWithExitStatus2(Transport transport)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Main.run(Map.of("REALTIME_JWT_SECRET", SECRET),
          new String[] {"--host=127.0.0.1", "--port=" + taken.getLocalPort(),
              "--transport=" + transport.name().toLowerCase(Locale.ROOT)},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
      assertEquals(Main.CONFIG_ERROR, status);
      List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
      assertEquals(1, lines.size(), "one line: " + lines);
      assertTrue(lines.get(0).contains(":" + taken.getLocalPort()), lines.get(0));
      assertTrue(lines.get(0).contains("REALTIME_PORT (--port)"), lines.get(0));
    }
  }

  @Test
  void devModeListensOnLoopbackAndItsApiNeedsTheAdminPermission() throws Exception {
    var config = ConfigParser.parse(Map.of(), new String[] {"--port=0"});
    assertEquals("127.0.0.1", config.settings().host());
    try (Main.Running running = Main.start(config)) {
      String base = "http://127.0.0.1:" + running.port();
      String eve = mint(base, "{\"sub\":\"eve\"}");
      String message = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"n\",\"payload\":{}}";
      assertEquals(401, post(base + "/api/v1/messages", eve, message).statusCode());
      String admin = mint(base, "{\"sub\":\"ops\",\"permissions\":[\"realtime:admin\"]}");
      HttpResponse<String> ok = post(base + "/api/v1/messages", admin, message);
      assertEquals(202, ok.statusCode(), ok.body());
    }
  }

  private String mint(String base, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/dev/token"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
    assertTrue(m.find(), r.body());
    return m.group(1);
  }

  private HttpResponse<String> post(String uri, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void startedServerWelcomesDeliversAndExposesMetrics(Transport transport) throws Exception {
    var config = ConfigParser.parse(Map.of("REALTIME_JWT_SECRET", SECRET,
        "REALTIME_API_KEY", API_KEY, "REALTIME_HOST", "127.0.0.1"),
        new String[] {"--port=0", "--transport=" + transport.name().toLowerCase(Locale.ROOT)});
    try (Main.Running running = Main.start(config)) {
      assertEquals(transport.name().toLowerCase(Locale.ROOT),
          running.component().server().transport());
      String token = new HmacTokenIssuer(KeySource.Secret.utf8(SECRET))
          .issue(TokenClaims.of("alice").withRoles(Set.of("admin")));
      Frames frames = new Frames();
      WebSocket ws = http.newWebSocketBuilder()
          .subprotocols("realtime.v1", "bearer." + token)
          .buildAsync(URI.create("ws://127.0.0.1:" + running.port() + "/ws"), frames)
          .get(10, TimeUnit.SECONDS);
      assertEquals("realtime.v1", ws.getSubprotocol());
      assertTrue(frames.next().contains("\"type\":\"welcome\""));

      HttpResponse<String> published = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + running.port() + "/api/v1/messages"))
          .header("Authorization", "Bearer " + API_KEY)
          .POST(HttpRequest.BodyPublishers.ofString("{\"target\":{\"kind\":\"user\",\"value\":"
              + "\"alice\"},\"type\":\"notification\",\"payload\":{\"message\":\"New order\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, published.statusCode(), published.body());
      assertTrue(published.body().contains("\"recipients\":1"), published.body());
      String delivered = frames.next();
      assertTrue(delivered.contains("\"type\":\"notification\""), delivered);
      assertTrue(delivered.contains("\"payload\":{\"message\":\"New order\"}"), delivered);

      String metrics = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + running.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String name : List.of("realtime_connections_active ",
          "realtime_connections_opened_total ", "realtime_connections_closed_total{",
          "realtime_messages_delivered_total{route=\"user\"} 1.0",
          "realtime_messages_dropped_total{", "realtime_auth_failures_total{")) {
        assertTrue(metrics.contains(name), "metrics lack " + name);
      }
      ws.abort();
    }
  }

  /** The real process: SIGTERM drains, the client sees 1001, the process exits in time. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void sigtermDrainsWith1001AndExits(Transport transport) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--port=0", "--host=127.0.0.1", "--drain-seconds=5")
        .redirectErrorStream(true);
    pb.environment().put("REALTIME_JWT_SECRET", SECRET);
    pb.environment().put("REALTIME_TRANSPORT", transport.name().toLowerCase(Locale.ROOT));
    Process process = pb.start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      int port = awaitPort(out);
      String token = new HmacTokenIssuer(KeySource.Secret.utf8(SECRET))
          .issue(TokenClaims.of("bob"));
      Frames frames = new Frames();
      http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), frames)
          .get(10, TimeUnit.SECONDS);
      assertTrue(frames.next().contains("welcome"));
      process.destroy(); // SIGTERM
      assertEquals(1001, frames.closeCode.get(10, TimeUnit.SECONDS));
      assertTrue(process.waitFor(15, TimeUnit.SECONDS), "process exits within the drain time");
      drain(out);
    } finally {
      process.destroyForcibly();
    }
  }

  private static int awaitPort(BufferedReader out) throws Exception {
    Pattern started = Pattern.compile("server\\.started transport=\\S+ host=\\S+ port=(\\d+)");
    List<String> seen = new ArrayList<>();
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null && seen.size() < 200; ) {
          seen.add(line);
          Matcher m = started.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("no server.started line in " + seen);
    });
    return port.get(30, TimeUnit.SECONDS);
  }

  private static void drain(BufferedReader out) {
    CompletableFuture.runAsync(() -> out.lines().forEach(l -> { }));
  }

  /** Collects text frames and the close code; bounded waits only. */
  static final class Frames implements WebSocket.Listener {
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode.completeExceptionally(error);
    }

    /** The next frame within {@code wait}, or null. */
    String poll(Duration wait) throws InterruptedException {
      return texts.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    String next() throws InterruptedException {
      String frame = texts.poll(10, TimeUnit.SECONDS);
      assertNotNull(frame, "no frame within 10 s");
      return frame;
    }
  }
}
