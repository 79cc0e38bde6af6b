package io.realtime.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A server among hostile clients and overload (slow readers, floods, junk frames, connect
 * storms, expiring tokens, deploys): it keeps working for everyone else, loses nothing it
 * promised, and leaks nothing. A transport runs it like the conformance suite:
 *
 * <pre>{@code
 * class JettyHostileClientTest extends HostileClientSuite {
 *   @Override protected RealtimeServer newServer(WebAdapter web) {
 *     return new JettyRealtimeServer(web);
 *   }
 * }
 * }</pre>
 *
 * <p>Sizes are small so each test takes seconds; {@code -Drealtime.tck.storm=5000} scales the
 * connect storm for a manual run. Every loop is bounded in count and time.
 */
public abstract class HostileClientSuite extends TransportSuite {
  /** Connections in the connect storm (simultaneous upgrades). */
  protected static final int STORM = Integer.getInteger("realtime.tck.storm", 300);
  /** Flooding connections, one after another, in the rate-limit ordering test. */
  protected static final int FLOOD_ROUNDS = Integer.getInteger("realtime.tck.floodRounds", 5);
  /** Rejected frames the core tolerates at once before it closes with 1008 (README limits). */
  private static final int VIOLATIONS_TOLERATED = 10;

  @Test
  void slowReaderIsClosedWith1013WhileOthersReceiveEverythingInOrder() {
    RunningServer s = start(ServerSpec.defaults().settings(c -> c.withSendQueue(16)));
    ApiClient api = api(s);
    Client fast = connect(s, s.tokens().user("fast").sign());
    String token = s.tokens().user("slow").sign();
    try (RawWebSocket slow = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of(), 4096)) {
      String pad = "p".repeat(32 * 1024);
      int published = 0;
      boolean slowGone = false;
      while (published < 2000 && !slowGone) { // the slow reader never reads: it must overflow
        ApiClient.Reply r = api.publish("broadcast", null, "bulk",
            "{\"n\":" + published + ",\"pad\":\"" + pad + "\"}");
        assertEquals(202, r.status(), r.body());
        slowGone = r.json().path("recipients").asInt() == 1;
        published++;
      }
      assertTrue(slowGone, "the slow reader still counted after " + published + " messages");
      for (int n = 0; n < published; n++) { // nobody waited for the slow one, nothing was lost
        assertEquals(n, fast.next("bulk").path("payload").path("n").asInt());
      }
      assertEquals(1013, slow.awaitClose(published + 10).closeCode());
    }
    assertTrue(s.events().count("dropped:slow_consumer") >= 1);
    assertEquals(1, s.events().count("closed:slow_consumer"));
    assertStats(api, 1, 1);
  }

  @Test
  void floodingClientGetsItsAnswersThenRateLimitedErrorsThenClose1008InThatOrder() {
    // time stands still for the node: exactly the burst passes, whatever the machine's speed
    ManualTime time = new ManualTime();
    int burst = 5;
    RunningServer s = start(ServerSpec.defaults().withTime(time)
        .settings(c -> c.withClientRate(5, burst)));
    for (int round = 0; round < FLOOD_ROUNDS; round++) {
      String token = s.tokens().user("flood").sign();
      try (RawWebSocket raw = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of())) {
        raw.setReadTimeout(WAIT);
        assertTrue(raw.readFrame().text().contains("\"welcome\""));
        List<String> pings = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          pings.add("{\"type\":\"ping\",\"ref\":\"" + i + "\"}");
        }
        raw.sendTexts(pings); // one write: the server reads a flood, not a trickle
        String context = "round " + round;
        for (int i = 0; i < burst; i++) {
          JsonNode pong = Json.parse(raw.readFrame().text());
          assertEquals("pong", pong.path("type").asText(), context + ": " + pong);
          assertEquals(String.valueOf(i), pong.path("ref").asText(), context + ": " + pong);
        }
        // 10 rejected frames are tolerated at once; the 11th is answered too, then closes
        for (int i = burst; i < burst + VIOLATIONS_TOLERATED + 1; i++) {
          RawWebSocket.Frame f = raw.readFrame();
          assertEquals(RawWebSocket.Frame.TEXT, f.opcode(),
              context + ": frame " + i + " is a close (" + f.closeCode() + "), not an answer");
          JsonNode error = Json.parse(f.text());
          assertEquals("rate_limited", error.path("code").asText(), context + ": " + error);
          assertEquals(String.valueOf(i), error.path("ref").asText(), context + ": " + error);
        }
        RawWebSocket.Frame close = raw.readFrame();
        assertEquals(RawWebSocket.Frame.CLOSE, close.opcode(), context + ": " + close.text());
        assertEquals(1008, close.closeCode(), context);
      }
    }
    assertEquals(FLOOD_ROUNDS, s.events().count("closed:policy_violation"));
    assertStats(api(s), 0, 0);
  }

  @Test
  void aBurstOfUpgradesOfOneUserOpensExactlyTheCapAndGivesEveryPlaceBack() throws Exception {
    int cap = 16;
    int burst = 50;
    RunningServer s = start(ServerSpec.defaults()
        .settings(c -> c.withMaxConnectionsPerUser(cap)));
    ApiClient api = api(s);
    for (int round = 0; round < 2; round++) { // the second round proves every place came back
      String token = s.tokens().user("greedy").sign();
      HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
      List<CompletableFuture<WebSocket>> attempts = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        attempts.add(client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
            .buildAsync(s.ws(""), new WebSocket.Listener() { }).toCompletableFuture());
      }
      List<WebSocket> open = new ArrayList<>();
      int tooMany = 0;
      for (CompletableFuture<WebSocket> attempt : attempts) {
        try {
          open.add(attempt.get(60, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause() instanceof WebSocketHandshakeException h
              && h.getResponse().statusCode() == 429, "refused otherwise: " + e.getCause());
          tooMany++;
        }
      }
      assertEquals(cap, open.size(), "round " + round + ": open connections of one user");
      assertEquals(burst - cap, tooMany, "round " + round);
      assertStats(api, cap, 1);
      open.forEach(WebSocket::abort);
      assertStats(api, 0, 0);
    }
  }

  @Test
  void theUpgradeRateRefusesWith503OverloadedAndRetryAfterBeforeCheckingTheToken() {
    ManualTime time = new ManualTime();
    RunningServer s = start(ServerSpec.defaults().withTime(time)
        .settings(c -> c.withUpgradeRate(1, 3)));
    for (int i = 0; i < 3; i++) {
      connect(s, s.tokens().user("u" + i).sign());
    }
    RecordingSocket.Refused r = refused(s, "?token=not-even-a-jwt", b -> { });
    assertRefusal(r, 503, "overloaded"); // over the rate: the bad token is not even looked at
    int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElse("-1"));
    assertTrue(retry >= 3 && retry <= 6, "Retry-After " + retry + " (a burst of 3 at 1/s)");
    assertEquals(503, refused(s, "?token=" + s.tokens().user("u9").sign(), b -> { }).status());
    time.advance(Duration.ofSeconds(1)); // one upgrade's worth refills
    connect(s, s.tokens().user("u3").sign());
    assertEquals(503, refused(s, "?token=" + s.tokens().user("u4").sign(), b -> { }).status());
    assertStats(api(s), 4, 4);
  }

  @Test
  void junkFramesAreAnsweredWithErrorsAndNeverCostTheConnection() {
    RunningServer s = start();
    Client c = connect(s, s.tokens().user("fuzzer").sign());
    List<String> junk = List.of(
        "{", "[]", "null", "42", "\"text\"", "{}", "{\"type\":5}", "{\"type\":null}",
        "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"topic\":[1]}",
        "{\"type\":\"publish\",\"topic\":\"t\",\"event\":\"e\"}",
        "{\"type\":\"ping\",\"ref\":1e999999}", "{\"type\":\"ping\",\"ref\":{\"a\":1}}",
        "{\"type\":\"refresh\",\"token\":false}", "{\"type\":\"ping\"}{\"type\":\"ping\"}",
        "[".repeat(5000) + "]".repeat(5000),
        "{\"type\":\"x\",\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
        "{\"type\":\"ping\",\"ref\":\"" + "9".repeat(20_000) + "\"}",
        "\u0000\u0001\u0002", "{\"type\":\"\\ud800\"}");
    for (String frame : junk) {
      c.send(frame);
      JsonNode answer = c.next();
      String type = answer.path("type").asText();
      assertTrue(type.equals("error") || type.equals("pong"), frame + " -> " + answer);
      if (type.equals("error")) {
        assertFalse(answer.path("code").asText().isBlank());
        assertFalse(answer.path("message").asText().isBlank());
      }
    }
    c.send("{\"type\":\"ping\",\"ref\":\"still-here\"}");
    assertEquals("still-here", c.next("pong").path("ref").asText());
  }

  @Test
  void invalidUtf8FailsOnlyThatConnection() {
    RunningServer s = start();
    Client bystander = connect(s, s.tokens().user("bystander").sign());
    String token = s.tokens().user("broken").sign();
    try (RawWebSocket raw = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of())) {
      raw.setReadTimeout(WAIT);
      assertTrue(raw.readFrame().text().contains("\"welcome\""));
      raw.sendFrame(RawWebSocket.Frame.TEXT, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
      // RFC 6455 section 8.1: a text frame that is not UTF-8 fails the connection with 1007
      assertEquals(1007, raw.awaitClose(5).closeCode());
    }
    bystander.send("{\"type\":\"ping\",\"ref\":\"ok\"}");
    assertEquals("ok", bystander.next("pong").path("ref").asText());
    assertStats(api(s), 1, 1);
  }

  @Test
  void refusedUpgradesLeaveNothingHalfOpen() {
    RunningServer s = start(ServerSpec.defaults()
        .settings(c -> c.withMaxConnectionsPerUser(1).withMaxConnections(3)));
    String alice = s.tokens().user("alice").sign();
    connect(s, alice);
    connect(s, s.tokens().user("bob").sign());
    for (int i = 0; i < 20; i++) {
      assertEquals(429, refused(s, "?token=" + alice, b -> { }).status());
    }
    assertStats(api(s), 2, 2);
    connect(s, s.tokens().user("carol").sign()); // the node is now full
    for (int i = 0; i < 20; i++) {
      assertEquals(503, refused(s, "?token=" + s.tokens().user("u" + i).sign(), b -> { })
          .status());
    }
    assertStats(api(s), 3, 3);
  }

  @Test
  void expiredTokenClosesWith4001AtExpiryPlusSkewAndNotBefore() {
    // the node's clock and timers are the test's: "at exp + skew" is exact, not a race
    ManualTime time = new ManualTime();
    Duration skew = Duration.ofSeconds(1);
    RunningServer s = start(ServerSpec.defaults().withTime(time).withTokenSkew(skew)
        .settings(c -> c.withClockSkew(skew)));
    Instant exp = time.instant().plusSeconds(2);
    Client c = connect(s, s.tokens().user("alice").expiresAt(exp).sign());
    time.advance(Duration.between(time.instant(), exp.plus(skew)).minusMillis(1));
    c.send("{\"type\":\"ping\",\"ref\":\"still-valid\"}");
    assertEquals("still-valid", c.next("pong").path("ref").asText(), "open 1 ms before exp + skew");
    time.advance(Duration.ofMillis(1));
    assertEquals(4001, c.socket().awaitClose(WAIT).code());
    assertEquals(1, s.events().count("closed:token_expired"));
  }

  @Test
  void drainWritesWhatWasQueuedThenCloses1001() throws Exception {
    RunningServer s = start();
    String token = s.tokens().user("reader").sign();
    try (RawWebSocket raw = RawHttp.upgrade(s.port(), "/ws?token=" + token, Map.of(), 4096)) {
      raw.setReadTimeout(WAIT);
      ApiClient api = api(s);
      // the 101 may reach us before the server has registered the connection
      await(() -> api.call("GET", "/api/v1/stats", "").json().path("connections").asInt() == 1,
          "the connection to be registered");
      // ~6 MB behind a client that does not read yet: more than the socket buffers hold, so
      // frames are still in the server's queue when the drain starts
      String pad = "q".repeat(32 * 1024);
      int messages = 200;
      for (int n = 0; n < messages; n++) {
        assertEquals(1, api.publish("user", "reader", "queued",
            "{\"pad\":\"" + pad + "\",\"n\":" + n + "}").json().path("recipients").asInt());
      }
      CompletableFuture<Boolean> stopped = s.drainAsync(Duration.ofSeconds(20));
      assertTrue(raw.readFrame().text().contains("\"welcome\""));
      for (int n = 0; n < messages; n++) {
        RawWebSocket.Frame f = raw.readFrame();
        assertTrue(f.opcode() == RawWebSocket.Frame.TEXT && f.text().contains("\"n\":" + n + "}"),
            "frame " + n + " of " + messages + " lost in the drain (opcode " + f.opcode() + ")");
      }
      assertEquals(1001, raw.awaitClose(3).closeCode());
      raw.close();
      assertTrue(stopped.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS), "clean drain");
    }
  }

  @Test
  void connectStormCompletesOrIsRefusedAndLeaksNothing() throws Exception {
    Set<Thread> threadsBefore = liveServerThreads();
    long fdsBefore = openFileDescriptors();
    RunningServer s = start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    List<CompletableFuture<WebSocket>> attempts = new ArrayList<>();
    for (int i = 0; i < STORM; i++) {
      attempts.add(client.newWebSocketBuilder()
          .header("Authorization", "Bearer " + s.tokens().user("storm-" + i).sign())
          .buildAsync(s.ws(""), new WebSocket.Listener() { }).toCompletableFuture());
    }
    int opened = 0;
    int refused = 0;
    List<WebSocket> sockets = new ArrayList<>();
    for (CompletableFuture<WebSocket> attempt : attempts) {
      try {
        sockets.add(attempt.get(60, TimeUnit.SECONDS)); // none may hang
        opened++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof WebSocketHandshakeException
            && refusedClearly(((WebSocketHandshakeException) e.getCause()).getResponse()
                .statusCode()), "neither opened nor refused clearly: " + e.getCause());
        refused++;
      }
    }
    assertEquals(STORM, opened + refused);
    assertTrue(opened > 0, "some connections must open");
    ApiClient api = api(s);
    await(() -> api.call("GET", "/api/v1/stats", "").json().path("connections").asInt()
        == sockets.size(), "every opened socket registered");
    sockets.forEach(WebSocket::abort);
    await(() -> api.call("GET", "/api/v1/stats", "").json().path("connections").asInt() == 0,
        "every aborted socket forgotten");
    assertStats(api, 0, 0);
    s.close();
    await(() -> liveServerThreads().stream().allMatch(threadsBefore::contains),
        () -> "threads left after stop: " + names(liveServerThreads(), threadsBefore));
    if (fdsBefore >= 0) { // sockets, selectors and pipes of the server are all released
      await(() -> openFileDescriptors() <= fdsBefore + 16,
          () -> "file descriptors: " + fdsBefore + " before, " + openFileDescriptors() + " after");
    }
  }


  private static boolean refusedClearly(int status) {
    return status == 503 || status == 429;
  }

  /** Live threads, leaving out the test's own clients (the JDK HTTP client's pools). */
  private static Set<Thread> liveServerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> !t.getName().startsWith("HttpClient-"))
        .filter(t -> !t.getName().startsWith("ForkJoinPool"))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static String names(Set<Thread> now, Set<Thread> before) {
    return now.stream().filter(t -> !before.contains(t)).map(Thread::getName).sorted()
        .collect(Collectors.joining(", "));
  }

  /** Open file descriptors of this process (Linux), or -1 where that cannot be read. */
  private static long openFileDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
