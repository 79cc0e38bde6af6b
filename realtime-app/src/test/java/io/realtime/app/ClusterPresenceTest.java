package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.adapter.redis.Eventually;
import io.realtime.adapter.redis.RedisServer;
import io.realtime.app.config.ConfigParser;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence and stats across nodes (PROTOCOL.md section 8) on a real redis-server: nodes
 * started by {@link Main#start} (Jetty and Undertow), and one in a child JVM that is killed
 * with SIGKILL. Waits are bounded and polled.
 */
class ClusterPresenceTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String API_KEY = "test-api-key-123";
  private static final Pattern STARTED = Pattern.compile("server\\.started .*port=(\\d+)");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Main.Running> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private RedisServer redis;
  private Process child;
  private Path childLog;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    startNode("node0", "jetty");
  }

  @AfterEach
  void stop() throws IOException {
    sockets.forEach(WebSocket::abort);
    nodes.forEach(Main.Running::stop);
    if (child != null) {
      child.destroyForcibly();
    }
    if (redis != null) {
      redis.close();
    }
    if (childLog != null) {
      Files.deleteIfExists(childLog);
    }
  }

  @Test
  void presenceSpansTheNodesJoinsOnceAndLeavesWithTheLastConnectionAnywhere() throws Exception {
    startNode("node1", "undertow");
    Watcher watcherB = watch(1, "watcher");
    Watcher watcherA = watch(0, "other");
    assertEquals("{\"topic\":\"room\",\"joins\":[\"other\"],\"leaves\":[]}",
        watcherB.nextPresence());

    Watcher aliceA = connect(0, "alice");
    aliceA.subscribe(false);
    String aliceJoined = "{\"topic\":\"room\",\"joins\":[\"alice\"],\"leaves\":[]}";
    assertEquals(aliceJoined, watcherB.nextPresence(), "a join on A reaches B");
    assertEquals(aliceJoined, watcherA.nextPresence(), "and A's own watcher, once");
    Watcher aliceB = connect(1, "alice");
    aliceB.subscribe(false); // present already: no join
    for (int node = 0; node < 2; node++) {
      assertEquals("{\"topic\":\"room\",\"users\":[\"alice\",\"other\",\"watcher\"]}",
          api(node, "/api/v1/presence/room").body());
    }

    aliceA.send("{\"type\":\"unsubscribe\",\"topic\":\"room\",\"ref\":\"u\"}");
    aliceA.nextOfType("ack"); // alice is still on B: no leave
    Watcher bob = connect(0, "bob");
    bob.subscribe(false);
    String bobJoined = "{\"topic\":\"room\",\"joins\":[\"bob\"],\"leaves\":[]}";
    assertEquals(bobJoined, watcherB.nextPresence(), "no leave came before bob's join");
    assertEquals(bobJoined, watcherA.nextPresence());
    aliceB.ws.abort(); // her last connection anywhere
    String aliceLeft = "{\"topic\":\"room\",\"joins\":[],\"leaves\":[\"alice\"]}";
    assertEquals(aliceLeft, watcherB.nextPresence());
    assertEquals(aliceLeft, watcherA.nextPresence());
    assertEquals("{\"topic\":\"room\",\"users\":[\"bob\",\"other\",\"watcher\"]}",
        api(0, "/api/v1/presence/room").body());
  }

  @Test
  void statsOnEitherNodeCountBothNodesAndListThemLive() throws Exception {
    startNode("node1", "undertow");
    watch(0, "alice");
    connect(1, "alice");
    connect(1, "bob");
    String expected = "{\"connections\":3,\"users\":3,\"topics\":1,\"nodes\":["
        + "{\"id\":\"node0\",\"connections\":1,\"users\":1,\"topics\":1},"
        + "{\"id\":\"node1\",\"connections\":2,\"users\":2,\"topics\":0}]}";
    for (int node = 0; node < 2; node++) { // the other node's entry is its last heartbeat
      int n = node;
      String[] body = {""};
      Eventually.await(Duration.ofSeconds(20),
          () -> (body[0] = api(n, "/api/v1/stats").body()).equals(expected),
          () -> "stats of node " + n + ": " + body[0]);
    }
  }

  @Test
  void aNodeKilledWithoutGoodbyeLeavesPresenceWithin30Seconds() throws Exception {
    startChild("node1", "undertow");
    Watcher watcher = watch(0, "watcher");
    Watcher carol = connect(1, "carol");
    carol.subscribe(false);
    assertEquals("{\"topic\":\"room\",\"joins\":[\"carol\"],\"leaves\":[]}",
        watcher.nextPresence());
    assertEquals("{\"topic\":\"room\",\"users\":[\"carol\",\"watcher\"]}",
        api(0, "/api/v1/presence/room").body());

    child.destroyForcibly(); // SIGKILL: no goodbye, no leave
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child is gone");
    String left = watcher.frames.poll(Duration.ofSeconds(30)); // the contract's bound
    assertEquals("{\"type\":\"presence\",\"topic\":\"room\",\"joins\":[],\"leaves\":[\"carol\"]}",
        left, "carol's leave reaches the surviving node's watcher");
    assertEquals("{\"topic\":\"room\",\"users\":[\"watcher\"]}",
        api(0, "/api/v1/presence/room").body());
    String[] body = {""};
    Eventually.await(Duration.ofSeconds(20), () -> (body[0] = api(0, "/api/v1/stats").body())
        .equals("{\"connections\":1,\"users\":1,\"topics\":1,\"nodes\":["
            + "{\"id\":\"node0\",\"connections\":1,\"users\":1,\"topics\":1}]}"),
        () -> "the dead node leaves the stats: " + body[0]);
  }

  private Map<String, String> env(String nodeId, String transport) {
    return new HashMap<>(Map.of("REALTIME_JWT_SECRET", SECRET, "REALTIME_API_KEY", API_KEY,
        "REALTIME_HOST", "127.0.0.1", "REALTIME_BACKPLANE", "redis",
        "REALTIME_REDIS_URL", redis.url(), "REALTIME_NODE_ID", nodeId,
        "REALTIME_TRANSPORT", transport, "REALTIME_PORT", "0"));
  }

  private void startNode(String nodeId, String transport) {
    Main.Running running = Main.start(ConfigParser.parse(env(nodeId, transport), new String[0]));
    nodes.add(running);
    ports.add(running.port());
    awaitUp(ports.size() - 1);
  }

  /** A node in a child JVM on this test's classpath; its port read from its start-up line. */
  private void startChild(String nodeId, String transport) throws IOException {
    childLog = Files.createTempFile("realtime-child", ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName())
        .redirectErrorStream(true).redirectOutput(childLog.toFile());
    builder.environment().putAll(env(nodeId, transport));
    child = builder.start();
    int[] port = {0};
    Eventually.await(Duration.ofSeconds(60), () -> {
      Matcher m = STARTED.matcher(read(childLog.toFile()));
      if (m.find()) {
        port[0] = Integer.parseInt(m.group(1));
      }
      return port[0] != 0 || !child.isAlive();
    }, () -> "the child never started: " + read(childLog.toFile()));
    assertTrue(child.isAlive(), () -> "the child died: " + read(childLog.toFile()));
    ports.add(port[0]);
    awaitUp(ports.size() - 1);
  }

  private static String read(File file) {
    try {
      return Files.readString(file.toPath());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitUp(int node) {
    String[] body = {""};
    Eventually.await(Duration.ofSeconds(20), () -> (body[0] = get(node, "/health"))
        .contains("\"backplane\":\"up\""), () -> "node " + node + " never up: " + body[0]);
  }

  private String get(int node, String path) {
    try {
      return http.send(HttpRequest.newBuilder(uri(node, path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> api(int node, String path) {
    try {
      return http.send(HttpRequest.newBuilder(uri(node, path))
          .header("Authorization", "Bearer " + API_KEY).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(int node, String path) {
    return URI.create("http://127.0.0.1:" + ports.get(node) + path);
  }

  /** A connection subscribed to "room" with presence, past its ack and initial state. */
  private Watcher watch(int node, String user) throws Exception {
    Watcher w = connect(node, user);
    w.subscribe(true);
    String state = w.frames.next();
    assertTrue(state.startsWith("{\"type\":\"presence\",\"topic\":\"room\",\"joins\":["), state);
    assertTrue(state.contains("\"" + user + "\""), "the state lists the watcher: " + state);
    return w;
  }

  private Watcher connect(int node, String user) throws Exception {
    String token = new HmacTokenIssuer(KeySource.Secret.utf8(SECRET))
        .issue(TokenClaims.of(user).withTopics(List.of("room")));
    MainTest.Frames frames = new MainTest.Frames();
    WebSocket ws = http.newWebSocketBuilder()
        .subprotocols("realtime.v1", "bearer." + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + ports.get(node) + "/ws"), frames)
        .get(10, TimeUnit.SECONDS);
    sockets.add(ws);
    String welcome = frames.next();
    assertTrue(welcome.contains("\"type\":\"welcome\""), welcome);
    return new Watcher(ws, frames);
  }

  /** One client connection on "room" and what it received. */
  private record Watcher(WebSocket ws, MainTest.Frames frames) {
    void send(String text) {
      ws.sendText(text, true).join();
    }

    /** Subscribes to "room"; the ack must be the next frame. */
    void subscribe(boolean presence) throws InterruptedException {
      send("{\"type\":\"subscribe\",\"topic\":\"room\",\"ref\":\"s\""
          + (presence ? ",\"presence\":true" : "") + "}");
      String ack = frames.next();
      assertEquals("{\"type\":\"ack\",\"ref\":\"s\"}", ack);
    }

    /** The next frame, which must be a presence frame; without its type. */
    String nextPresence() throws InterruptedException {
      String frame = frames.next();
      assertTrue(frame.startsWith("{\"type\":\"presence\","), frame);
      return "{" + frame.substring("{\"type\":\"presence\",".length());
    }

    String nextOfType(String type) throws InterruptedException {
      while (true) {
        String frame = frames.next();
        if (frame.contains("\"type\":\"" + type + "\"")) {
          return frame;
        }
      }
    }
  }
}
