package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.adapter.redis.Eventually;
import io.realtime.adapter.redis.RedisServer;
import io.realtime.app.config.ConfigParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on one real redis-server (PROTOCOL.md section 8), each a full server started
 * by {@link Main#start} on loopback, Jetty and Undertow mixed. Waits are bounded and polled.
 */
class ClusterTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String API_KEY = "test-api-key-123";
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  private static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]+)\"");
  private static final Pattern CONNECTION_ID = Pattern.compile("\"connectionId\":\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Main.Running> nodes = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  private RedisServer redis;

  @AfterEach
  void stop() {
    sockets.forEach(WebSocket::abort);
    nodes.forEach(Main.Running::stop);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void everyRoutingKindPublishedOnOneNodeReachesExactlyTheRightConnections() throws Exception {
    startCluster(2, Map.of());
    Client a1 = connect(0, "alice", Set.of("admin"));
    Client a2 = connect(0, "bob", Set.of());
    Client b1 = connect(1, "alice", Set.of());
    Client b2 = connect(1, "carol", Set.of("admin"));
    a1.subscribe("news", "");
    b2.subscribe("news", "");

    publishOn(1, "{\"kind\":\"broadcast\"}", "tobroadcast");
    publishOn(1, "{\"kind\":\"user\",\"value\":\"alice\"}", "touser");
    publishOn(1, "{\"kind\":\"role\",\"value\":\"admin\"}", "torole");
    publishOn(1, "{\"kind\":\"connection\",\"value\":\"" + a2.id + "\"}", "toremote");
    publishOn(1, "{\"kind\":\"connection\",\"value\":\"" + b2.id + "\"}", "tolocal");
    publishOn(1, "{\"kind\":\"topic\",\"value\":\"news\"}", "totopic");
    publishOn(1, "{\"kind\":\"broadcast\"}", "end"); // after the others on the shared lane
    publishOn(1, "{\"kind\":\"topic\",\"value\":\"news\"}", "endtopic");

    assertEquals(List.of("end", "endtopic", "tobroadcast", "topic:totopic", "torole", "touser"),
        a1.typesUntilEnd(true));
    assertEquals(List.of("end", "tobroadcast", "toremote"), a2.typesUntilEnd(false));
    assertEquals(List.of("end", "tobroadcast", "touser"), b1.typesUntilEnd(false));
    assertEquals(List.of("end", "endtopic", "tobroadcast", "tolocal", "topic:totopic", "torole"),
        b2.typesUntilEnd(true));
  }

  @Test
  void kickAndServerSideSubscribeOnOneNodeReachAConnectionOnAnother() throws Exception {
    startCluster(2, Map.of());
    Client a = connect(0, "alice", Set.of());
    HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(
            uri(1, "/api/v1/connections/" + a.id + "/subscriptions"))
        .header("Authorization", "Bearer " + API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"news\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, subscribed.statusCode(), subscribed.body());
    // the subscribe holds once node 0 listens: publish until the message arrives
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    boolean arrived = false;
    while (!arrived) {
      assertTrue(System.nanoTime() < deadline, "the server-side subscribe never held");
      publishOn(1, "{\"kind\":\"topic\",\"value\":\"news\"}", "viaserver");
      String frame;
      while (!arrived && (frame = a.frames.poll(Duration.ofMillis(300))) != null) {
        arrived = frame.contains("\"type\":\"viaserver\"");
      }
    }
    HttpResponse<String> kicked = http.send(HttpRequest.newBuilder(
            uri(1, "/api/v1/connections/" + a.id))
        .header("Authorization", "Bearer " + API_KEY)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, kicked.statusCode(), kicked.body());
    assertEquals(4003, a.frames.closeCode.get(10, TimeUnit.SECONDS));
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
            uri(1, "/api/v1/connections/node7.nobody"))
        .header("Authorization", "Bearer " + API_KEY)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode(), "no such node");
    String gone = a.id.substring(0, a.id.indexOf('.') + 1) + "nobody"; // a live node's
    HttpResponse<String> notHeld = http.send(HttpRequest.newBuilder(
            uri(1, "/api/v1/connections/" + gone))
        .header("Authorization", "Bearer " + API_KEY)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, notHeld.statusCode(), "the node answers it holds no such connection");
    HttpResponse<String> notSubscribed = http.send(HttpRequest.newBuilder(
            uri(1, "/api/v1/connections/" + gone + "/subscriptions"))
        .header("Authorization", "Bearer " + API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"news\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, notSubscribed.statusCode(), notSubscribed.body());
  }

  @Test
  void threePublishersOnThreeNodesGiveEveryReceiverStrictlyIncreasingPositions()
      throws Exception {
    startCluster(3, Map.of());
    List<Client> receivers = new ArrayList<>();
    List<Client> publishers = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      Client r = connect(n, "reader" + n, Set.of());
      r.subscribe("order", "");
      receivers.add(r);
      publishers.add(connect(n, "writer" + n, Set.of()));
    }
    int each = 30;
    for (int i = 0; i < each; i++) {
      for (Client p : publishers) {
        p.send("{\"type\":\"publish\",\"topic\":\"order\",\"event\":\"tick\",\"payload\":{},"
            + "\"ref\":\"p" + i + "\"}");
      }
    }
    for (Client r : receivers) {
      long last = 0;
      for (int i = 0; i < 3 * each; i++) {
        String frame = r.nextOfType("tick");
        long offset = Long.parseLong(group(ID, frame).split("-")[0]);
        assertTrue(offset > last, "positions must increase: " + last + " then " + offset);
        last = offset;
      }
    }
  }

  @Test
  void anIdReceivedOnOneNodeResumesOnAnotherAndTrimmedHistoryIsNotRecovered()
      throws Exception {
    startCluster(2, Map.of("REALTIME_HISTORY_SIZE", "3"));
    Client a = connect(0, "alice", Set.of());
    a.subscribe("feed", "");
    publishOn(0, "{\"kind\":\"topic\",\"value\":\"feed\"}", "first");
    publishOn(0, "{\"kind\":\"topic\",\"value\":\"feed\"}", "second");
    String first = group(ID, a.nextOfType("first"));
    String second = group(ID, a.nextOfType("second"));

    Client b = connect(1, "alice", Set.of());
    String ack = b.subscribe("feed", first);
    assertTrue(ack.contains("\"recovered\":true"), ack);
    assertEquals(second, group(ID, b.nextOfType("second")));

    for (int i = 0; i < 4; i++) {
      publishOn(1, "{\"kind\":\"topic\",\"value\":\"feed\"}", "more");
    }
    Client late = connect(1, "alice", Set.of());
    String lateAck = late.subscribe("feed", first);
    assertTrue(lateAck.contains("\"recovered\":false"), lateAck);
  }

  @Test
  void withRedisDownPublishesAreRefusedFastConnectionsStayAndWorkResumes() throws Exception {
    startCluster(2, Map.of());
    Client a = connect(0, "alice", Set.of());
    Client b = connect(1, "bob", Set.of());
    redis.kill();
    awaitHealth(0, "\"backplane\":\"down\"");
    assertTrue(get(0, "/metrics").contains("realtime_backplane_up 0.0"));

    long started = System.nanoTime();
    HttpResponse<String> refused = post(1, "{\"kind\":\"broadcast\"}", "lost");
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(503, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("\"error\":\"unavailable\""), refused.body());
    assertTrue(refused.headers().firstValue("Retry-After").isPresent());
    assertTrue(tookMillis < 2000, "refused after " + tookMillis + " ms");

    a.send("{\"type\":\"publish\",\"topic\":\"news\",\"event\":\"lost\",\"payload\":{},"
        + "\"ref\":\"x\"}");
    String error = a.nextOfType("error");
    assertTrue(error.contains("\"code\":\"unavailable\""), error);
    a.send("{\"type\":\"subscribe\",\"topic\":\"news\",\"since\":\"1-abc\",\"ref\":\"s\"}");
    String subscribeError = a.nextOfType("error");
    assertTrue(subscribeError.contains("\"code\":\"unavailable\""), subscribeError);
    a.send("{\"type\":\"ping\",\"ref\":\"p\"}");
    a.nextOfType("pong");

    redis.restart();
    awaitHealth(0, "\"backplane\":\"up\""); // node 0 listens again
    // until a broadcast published on node 1 reaches node 0 (its channels resubscribed)
    Eventually.await(Duration.ofSeconds(20), () -> broadcastReaches(a),
        () -> "publishes did not resume");
    b.nextOfType("back");
  }

  @Test
  void anIdempotencyKeyHoldsAcrossNodes() throws Exception {
    startCluster(2, Map.of());
    Client alice = connect(1, "alice", Set.of());
    String toAlice = "{\"kind\":\"user\",\"value\":\"alice\"}";
    HttpResponse<String> first = postKeyed(0, "key-1", toAlice, "once");
    assertEquals(202, first.statusCode(), first.body());
    HttpResponse<String> retry = postKeyed(1, "key-1", toAlice, "once");
    assertEquals(202, retry.statusCode(), retry.body());
    assertEquals(first.body(), retry.body(), "the first answer, its id and recipients");
    HttpResponse<String> other = postKeyed(1, "key-1", toAlice, "another");
    assertEquals(400, other.statusCode(), other.body());
    assertTrue(other.body().contains("\"error\":\"bad_request\""), other.body());
    publishOn(0, toAlice, "end");
    assertEquals(List.of("end", "once"), alice.typesUntilEnd(false));
  }

  @Test
  void concurrentFirstRequestsWithOneKeyOnTwoNodesPublishOnce() throws Exception {
    startCluster(2, Map.of());
    Client alice = connect(0, "alice", Set.of());
    String toAlice = "{\"kind\":\"user\",\"value\":\"alice\"}";
    List<String> expected = new ArrayList<>(List.of("end"));
    for (int round = 0; round < 5; round++) {
      String key = "race-" + round;
      var onA = http.sendAsync(keyed(0, key, toAlice, "race" + round),
          HttpResponse.BodyHandlers.ofString());
      var onB = http.sendAsync(keyed(1, key, toAlice, "race" + round),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> a = onA.get(30, TimeUnit.SECONDS);
      HttpResponse<String> b = onB.get(30, TimeUnit.SECONDS);
      assertEquals(202, a.statusCode(), a.body());
      assertEquals(202, b.statusCode(), b.body());
      assertEquals(a.body(), b.body(), "one publish, one answer");
      expected.add("race" + round);
    }
    publishOn(1, toAlice, "end");
    assertEquals(expected, alice.typesUntilEnd(false));
  }

  private void startCluster(int count, Map<String, String> extra) {
    redis = RedisServer.start();
    for (int n = 0; n < count; n++) {
      Map<String, String> env = new HashMap<>(Map.of("REALTIME_JWT_SECRET", SECRET,
          "REALTIME_API_KEY", API_KEY, "REALTIME_HOST", "127.0.0.1",
          "REALTIME_BACKPLANE", "redis", "REALTIME_REDIS_URL", redis.url(),
          "REALTIME_NODE_ID", "node" + n));
      env.putAll(extra);
      String transport = n % 2 == 0 ? "jetty" : "undertow";
      nodes.add(Main.start(ConfigParser.parse(env,
          new String[] {"--port=0", "--transport=" + transport})));
    }
    for (int n = 0; n < count; n++) {
      awaitHealth(n, "\"backplane\":\"up\"");
    }
  }

  /** Publishes a broadcast on node 1; true once it reaches {@code client}. */
  private boolean broadcastReaches(Client client) {
    try {
      if (post(1, "{\"kind\":\"broadcast\"}", "back").statusCode() != 202) {
        return false;
      }
      String frame;
      while ((frame = client.frames.poll(Duration.ofMillis(300))) != null) {
        if (frame.contains("\"type\":\"back\"")) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void awaitHealth(int node, String expected) {
    String[] body = {""};
    Eventually.await(Duration.ofSeconds(20), () -> (body[0] = get(node, "/health"))
        .contains(expected), () -> "health of node " + node + " never said " + expected + ": "
        + body[0]);
    assertTrue(body[0].contains("\"status\":\"UP\""), body[0]);
  }

  private String get(int node, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, path)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void publishOn(int node, String target, String type) throws Exception {
    HttpResponse<String> r = post(node, target, type);
    assertEquals(202, r.statusCode(), r.body());
  }

  private HttpResponse<String> post(int node, String target, String type) throws Exception {
    return http.send(message(node, target, type).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder message(int node, String target, String type) {
    return HttpRequest.newBuilder(uri(node, "/api/v1/messages"))
        .header("Authorization", "Bearer " + API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"target\":" + target + ",\"type\":\""
            + type + "\",\"payload\":{}}"));
  }

  private HttpResponse<String> postKeyed(int node, String key, String target, String type)
      throws Exception {
    return http.send(keyed(node, key, target, type), HttpResponse.BodyHandlers.ofString());
  }

  /** A publish with an {@code Idempotency-Key}. */
  private HttpRequest keyed(int node, String key, String target, String type) {
    return message(node, target, type).header("Idempotency-Key", key).build();
  }

  private URI uri(int node, String path) {
    return URI.create("http://127.0.0.1:" + nodes.get(node).port() + path);
  }

  private Client connect(int node, String user, Set<String> roles) throws Exception {
    String token = new HmacTokenIssuer(KeySource.Secret.utf8(SECRET))
        .issue(TokenClaims.of(user).withRoles(roles)
            .withPermissions(Set.of("realtime:publish"))
            .withTopics(List.of("news", "order", "feed")));
    MainTest.Frames frames = new MainTest.Frames();
    WebSocket ws = http.newWebSocketBuilder()
        .subprotocols("realtime.v1", "bearer." + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + nodes.get(node).port() + "/ws"), frames)
        .get(10, TimeUnit.SECONDS);
    sockets.add(ws);
    String welcome = frames.next();
    assertTrue(welcome.contains("\"type\":\"welcome\""), welcome);
    String id = group(CONNECTION_ID, welcome);
    assertTrue(id.startsWith("node" + node + "."), id);
    return new Client(ws, frames, id);
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertTrue(m.find(), p + " in " + text);
    return m.group(1);
  }

  /** One client connection and what it received. */
  private static final class Client {
    final WebSocket ws;
    final MainTest.Frames frames;
    final String id;
    private int refs;

    Client(WebSocket ws, MainTest.Frames frames, String id) {
      this.ws = ws;
      this.frames = frames;
      this.id = id;
    }

    void send(String text) {
      ws.sendText(text, true).join();
    }

    /** Subscribes and returns the ack (anything before it fails the test). */
    String subscribe(String topic, String since) throws InterruptedException {
      String ref = "sub" + (++refs);
      send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"ref\":\"" + ref + "\""
          + (since.isEmpty() ? "" : ",\"since\":\"" + since + "\"") + "}");
      String ack = frames.next();
      assertTrue(ack.contains("\"type\":\"ack\"") && ack.contains("\"ref\":\"" + ref + "\""),
          ack);
      return ack;
    }

    /** The next frame of that type, skipping others. */
    String nextOfType(String type) throws InterruptedException {
      while (true) {
        String frame = frames.next();
        if (frame.contains("\"type\":\"" + type + "\"")) {
          return frame;
        }
      }
    }

    /** Types received until the end markers (the topic one too if asked), sorted. */
    List<String> typesUntilEnd(boolean topicEnd) throws InterruptedException {
      List<String> types = new ArrayList<>();
      boolean end = false;
      boolean endTopic = !topicEnd;
      while (!end || !endTopic) {
        String frame = frames.next();
        String type = group(TYPE, frame);
        end |= type.equals("end");
        endTopic |= type.equals("endtopic");
        types.add(frame.contains("\"topic\":") && !type.equals("endtopic") ? "topic:" + type
            : type);
      }
      types.sort(String::compareTo);
      return types;
    }
  }
}
