package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.adapter.redis.Eventually;
import io.realtime.adapter.redis.RedisServer;
import io.realtime.app.config.ConfigParser;
import io.realtime.tck.Json;
import io.realtime.tck.RecordingSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node that missed topic messages while its Redis subscription was down (PROTOCOL.md section
 * 8, "A node that missed messages"), end to end on a real redis-server, two nodes started by
 * {@link Main#start} on one transport. Node A logs in to Redis as a user of its own, so the test
 * can keep exactly A's subscription away (the user disabled, A's pub/sub connection killed)
 * while node B publishes, and let it back when it chooses: the gap is as large as the test says.
 */
class ClusterResumeTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String API_KEY = "test-api-key-123";
  private static final String USER_A = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HISTORY = 3;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Main.Running> nodes = new ArrayList<>();
  private final List<RecordingSocket> sockets = new ArrayList<>();
  private RedisServer redis;

  @AfterEach
  void stop() {
    sockets.forEach(RecordingSocket::close);
    nodes.forEach(Main.Running::stop);
    if (redis != null) {
      redis.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "undertow"})
  void aGapPastTheHistoryClosesWith4004AndSinceThenAcksRecoveredFalse(String transport)
      throws Exception {
    RecordingSocket subscriber = startWithSubscriberOnA(transport);
    String last = seenOnA(subscriber);

    keepASubscriptionAway();
    for (int i = 0; i < HISTORY + 2; i++) { // more than the stream keeps: "m" is trimmed
      publishOnB("missed");
    }
    letASubscriptionBack();

    assertEquals(4004, subscriber.awaitClose(WAIT).code());
    RecordingSocket resumed = connect(0);
    resumed.send("{\"type\":\"subscribe\",\"topic\":\"feed\",\"since\":\"" + last
        + "\",\"ref\":\"again\"}");
    JsonNode ack = resumed.awaitFrame(f -> f.path("type").asText().equals("ack"), WAIT,
        new ArrayList<>());
    assertEquals("{\"type\":\"ack\",\"ref\":\"again\",\"recovered\":false}", ack.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty", "undertow"})
  void aGapTheHistoryHoldsIsFilledOnceInOrderBeforeLiveMessages(String transport)
      throws Exception {
    RecordingSocket subscriber = startWithSubscriberOnA(transport);
    List<String> published = new ArrayList<>(List.of(seenOnA(subscriber)));

    keepASubscriptionAway();
    for (int i = 0; i < HISTORY - 1; i++) { // the stream still holds them all
      published.add(publishOnB("m"));
    }
    letASubscriptionBack();
    // caught up from the stream on resubscribing, with nothing new published to show the gap
    for (String id : published.subList(1, published.size())) {
      assertEquals(id, subscriber.nextFrame("m", WAIT).path("id").asText());
    }
    published.add(publishOnB("m"));
    assertEquals(published.get(published.size() - 1),
        subscriber.nextFrame("m", WAIT).path("id").asText(), "live again, nothing twice");
    subscriber.assertNothingWithin(Duration.ofMillis(300));
  }

  private void startCluster(String transport) throws IOException {
    redis = RedisServer.start();
    redis.command("ACL", "SETUSER", USER_A, "on", ">a-password", "~*", "&*", "+@all");
    String[] urls = {"redis://" + USER_A + ":a-password@127.0.0.1:" + redis.port(), redis.url()};
    for (int n = 0; n < 2; n++) {
      Map<String, String> env = new HashMap<>(Map.of("REALTIME_JWT_SECRET", SECRET,
          "REALTIME_API_KEY", API_KEY, "REALTIME_HOST", "127.0.0.1",
          "REALTIME_BACKPLANE", "redis", "REALTIME_REDIS_URL", urls[n],
          "REALTIME_NODE_ID", "node" + n, "REALTIME_HISTORY_SIZE", String.valueOf(HISTORY)));
      nodes.add(Main.start(ConfigParser.parse(env,
          new String[] {"--port=0", "--transport=" + transport})));
    }
    for (int n = 0; n < 2; n++) {
      awaitBackplane(n, "up");
    }
  }

  /**
   * Node A's user may no longer log in, and A's pub/sub connection is killed: A cannot
   * subscribe again until {@link #letASubscriptionBack}. Its command connection stays.
   */
  private void keepASubscriptionAway() throws IOException {
    redis.command("ACL", "SETUSER", USER_A, "off");
    assertEquals("1", redis.command("CLIENT", "KILL", "USER", USER_A, "TYPE", "pubsub"));
    awaitBackplane(0, "down");
  }

  private void letASubscriptionBack() throws IOException {
    redis.command("ACL", "SETUSER", USER_A, "on");
  }

  /** Starts both nodes and subscribes a client of node A to the topic. */
  private RecordingSocket startWithSubscriberOnA(String transport) throws IOException {
    startCluster(transport);
    RecordingSocket s = connect(0);
    s.send("{\"type\":\"subscribe\",\"topic\":\"feed\",\"ref\":\"s\"}");
    assertEquals("{\"type\":\"ack\",\"ref\":\"s\"}", s.nextFrame(WAIT).toString());
    return s;
  }

  private RecordingSocket connect(int node) {
    String token = new HmacTokenIssuer(KeySource.Secret.utf8(SECRET))
        .issue(TokenClaims.of("alice").withTopics(List.of("feed")));
    RecordingSocket s = RecordingSocket.open(http,
        URI.create("ws://127.0.0.1:" + nodes.get(node).port() + "/ws"),
        b -> b.header("Authorization", "Bearer " + token));
    sockets.add(s);
    s.nextFrame("welcome", WAIT);
    return s;
  }

  /** Publishes an "m" through node B and checks that A's subscriber gets it; its id. */
  private String seenOnA(RecordingSocket subscriber) throws Exception {
    String id = publishOnB("m");
    assertEquals(id, subscriber.nextFrame("m", WAIT).path("id").asText());
    return id;
  }

  /** Publishes a topic message through node B's API; its id. */
  private String publishOnB(String type) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(1, "/api/v1/messages"))
        .header("Authorization", "Bearer " + API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"target\":{\"kind\":\"topic\","
            + "\"value\":\"feed\"},\"type\":\"" + type + "\",\"payload\":{}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    String id = Json.parse(r.body()).path("id").asText();
    assertFalse(id.isEmpty(), r.body());
    return id;
  }

  private void awaitBackplane(int node, String state) {
    String[] body = {""};
    Eventually.await(WAIT, () -> (body[0] = health(node)).contains("\"backplane\":\"" + state
        + "\""), () -> "node " + node + " never said backplane " + state + ": " + body[0]);
  }

  private String health(int node) {
    try {
      return http.send(HttpRequest.newBuilder(uri(node, "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(int node, String path) {
    return URI.create("http://127.0.0.1:" + nodes.get(node).port() + path);
  }
}
