package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.out.IdempotencyStore;
import io.realtime.core.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  private static final String KEY = "k-0123456789abcdef";

  private final FakeCore core = new FakeCore()
      .token("admin-jwt",
          Principal.of(new UserId("ops")).withPermissions(Set.of(Permissions.ADMIN)))
      .token("user-jwt", Principal.of(new UserId("alice")));
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
  private RealtimeSettings settings = RealtimeSettings.defaults().withApiKey(KEY);
  private DevTokenMinter minter;
  private IdempotencyStore idempotency = new InMemoryIdempotencyStore(clock);
  private HttpApi instance; // made on first call, after a test has chosen its settings

  private HttpResponse call(String method, String path, String body, String... headers) {
    Map<String, List<String>> h = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    if (instance == null) {
      instance = new HttpApi(settings, core.useCases(),
          () -> "realtime_connections_active 1.0\n", minter, idempotency);
    }
    return instance.handle(new HttpRequest(method, path, NamedValues.EMPTY, NamedValues.headers(h),
        body, "127.0.0.1"));
  }

  private HttpResponse api(String method, String path, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + KEY;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return call(method, path, body, all);
  }

  private static void assertError(HttpResponse r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(HttpResponse.JSON, r.contentType());
    assertTrue(r.body().startsWith("{\"error\":\"" + code + "\",\"message\":\""), r.body());
  }


  @Test
  void healthIsUpThen503WhileDraining() {
    HttpResponse up = call("GET", "/health", "");
    assertEquals(200, up.status());
    assertEquals("{\"status\":\"UP\"}", up.body());
    core.draining = true;
    HttpResponse draining = call("GET", "/health", "");
    assertEquals(503, draining.status());
    assertEquals("{\"status\":\"DRAINING\"}", draining.body());
  }

  @Test
  void aClusterNodesHealthSaysHowItsBackplaneIsAndStays200() {
    core.backplane = io.realtime.port.in.BackplaneStatus.UP;
    assertEquals("{\"status\":\"UP\",\"backplane\":\"up\"}", call("GET", "/health", "").body());
    core.backplane = io.realtime.port.in.BackplaneStatus.DOWN;
    HttpResponse down = call("GET", "/health", "");
    assertEquals(200, down.status());
    assertEquals("{\"status\":\"UP\",\"backplane\":\"down\"}", down.body());
  }

  @Test
  void anUnavailableBackplaneRefusesAPublishWith503AndRetryAfter() {
    core.backplane = io.realtime.port.in.BackplaneStatus.DOWN;
    HttpResponse r = api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"note\",\"payload\":{}}");
    assertError(r, 503, "unavailable");
    assertEquals("1", r.headers().get("Retry-After"));
  }

  @Test
  void metricsArePassedThroughAsPrometheusText() {
    HttpResponse r = call("GET", "/metrics", "");
    assertEquals(200, r.status());
    assertEquals("realtime_connections_active 1.0\n", r.body());
    assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"));
  }

  @Test
  void plainGetOfTheSocketPathIs400UpgradeRequired() {
    assertError(call("GET", "/ws", ""), 400, "upgrade_required");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() {
    assertError(call("GET", "/nope", ""), 404, "not_found");
    assertError(call("GET", "/api/v1/unknown", ""), 404, "not_found");
    HttpResponse r = call("POST", "/health", "");
    assertError(r, 405, "method_not_allowed");
    assertEquals("GET", r.headers().get("Allow"));
    assertError(api("GET", "/api/v1/messages", ""), 405, "method_not_allowed");
  }


  @Test
  void apiWithoutCredentialIs401WithChallenge() {
    HttpResponse r = call("GET", "/api/v1/stats", "");
    assertError(r, 401, "unauthorized");
    assertTrue(r.headers().get("WWW-Authenticate").startsWith("Bearer"));
  }

  @Test
  void wrongApiKeyIs401() {
    assertError(call("GET", "/api/v1/stats", "", "Authorization", "Bearer wrong"), 401,
        "unauthorized");
  }

  @Test
  void apiKeyAndAdminJwtAreAccepted() {
    assertEquals(200, api("GET", "/api/v1/stats", "").status());
    assertEquals(200, call("GET", "/api/v1/stats", "", "Authorization", "Bearer admin-jwt")
        .status());
  }

  @Test
  void jwtWithoutAdminPermissionIs401() {
    HttpResponse r = call("GET", "/api/v1/stats", "", "Authorization", "Bearer user-jwt");
    assertError(r, 401, "unauthorized");
    assertTrue(r.body().contains("realtime:admin"));
  }

  @Test
  void withoutAnApiKeyOnlyAdminTokensWork() {
    settings = settings.withApiKey("");
    assertError(call("GET", "/api/v1/stats", "", "Authorization", "Bearer " + KEY), 401,
        "unauthorized");
    assertEquals(200, call("GET", "/api/v1/stats", "", "Authorization", "Bearer admin-jwt")
        .status());
  }


  @Test
  void publishAnswers202WithIdAndRecipientsKeepingThePayloadRaw() {
    String payload = "{ \"message\" : \"New order\", \"n\": 1.50 }";
    HttpResponse r = api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"user\",\"value\":\"u-1\"},\"type\":\"notification\","
            + "\"payload\":" + payload + "}");
    assertEquals(202, r.status(), r.body());
    assertEquals("{\"id\":\"msg-1\",\"recipients\":3}", r.body());
    PublishRequest p = core.published.get(0);
    assertEquals(Target.user("u-1"), p.target());
    assertEquals("notification", p.type());
    assertEquals(payload, p.payload().text());
  }

  @Test
  void everyTargetKindIsUnderstood() {
    String[][] cases = {
        {"{\"kind\":\"broadcast\"}", "Broadcast"},
        {"{\"kind\":\"user\",\"value\":\"u\"}", "User"},
        {"{\"kind\":\"role\",\"value\":\"admin\"}", "Role"},
        {"{\"kind\":\"connection\",\"value\":\"c-1\"}", "Connection"},
        {"{\"kind\":\"topic\",\"value\":\"order:1\"}", "Topic"}};
    for (String[] c : cases) {
      HttpResponse r = api("POST", "/api/v1/messages",
          "{\"target\":" + c[0] + ",\"type\":\"t\",\"payload\":null}");
      assertEquals(202, r.status(), r.body());
      assertEquals(c[1], core.published.get(core.published.size() - 1).target().getClass()
          .getSimpleName());
    }
  }

  @Test
  void badPublishBodiesAre400NamingTheProblem() {
    String[][] cases = {
        {"not json", "malformed JSON"},
        {"[]", "expected a JSON object"},
        {"{\"type\":\"t\",\"payload\":1}", "field 'target' is required"},
        {"{\"target\":\"user\",\"type\":\"t\",\"payload\":1}", "field 'target' must be an object"},
        {"{\"target\":{\"kind\":\"planet\",\"value\":\"x\"},\"type\":\"t\",\"payload\":1}",
            "field 'target.kind' must be one of"},
        {"{\"target\":{\"kind\":\"user\"},\"type\":\"t\",\"payload\":1}",
            "field 'target.value' is required"},
        {"{\"target\":{\"kind\":\"user\",\"value\":\" \"},\"type\":\"t\",\"payload\":1}",
            "must not be blank"},
        {"{\"target\":{\"kind\":\"topic\",\"value\":\"bad topic\"},\"type\":\"t\",\"payload\":1}",
            "topic may only contain"},
        {"{\"target\":{\"kind\":\"broadcast\"},\"payload\":1}", "field 'type' is required"},
        {"{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\"}", "field 'payload' is required"},
        {"{\"target\":{\"kind\":\"broadcast\"},\"type\":\"welcome\",\"payload\":1}",
            "reserved"},
        {"{\"target\":{\"kind\":\"broadcast\"},\"type\":\"has space\",\"payload\":1}",
            "type may only contain"}};
    for (String[] c : cases) {
      HttpResponse r = api("POST", "/api/v1/messages", c[0]);
      assertError(r, 400, "bad_request");
      assertTrue(r.body().contains(c[1]), c[0] + " -> " + r.body());
    }
    assertTrue(core.published.isEmpty());
  }

  @Test
  void coreRejectionIs400WithItsCode() {
    HttpResponse r = api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"boom\",\"payload\":1}");
    assertError(r, 400, "bad_request");
    assertTrue(r.body().contains("boom is refused"));
  }

  @Test
  void idempotentRetryReturnsTheFirstAnswerWithoutPublishingAgain() {
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    HttpResponse first = api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    clock.advance(Duration.ofMinutes(4));
    HttpResponse retry = api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    assertEquals(first, retry);
    assertEquals(1, core.published.size());
    api("POST", "/api/v1/messages", body, "Idempotency-Key", "other");
    assertEquals(2, core.published.size(), "another key publishes");
    api("POST", "/api/v1/messages", body);
    assertEquals(3, core.published.size(), "no key publishes");
  }

  @Test
  void idempotencyKeyExpiresAfterFiveMinutes() {
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    HttpResponse again = api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    assertEquals(202, again.status());
    assertEquals(2, core.published.size());
  }

  @Test
  void idempotencyKeyReusedForAnotherBodyIs400() {
    api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}",
        "Idempotency-Key", "abc");
    HttpResponse r = api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":2}",
        "Idempotency-Key", "abc");
    assertError(r, 400, "bad_request");
    assertEquals(1, core.published.size());
  }

  @Test
  void idempotencyKeysOfDifferentCallersDoNotCollide() {
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    call("POST", "/api/v1/messages", body, "Authorization", "Bearer admin-jwt",
        "Idempotency-Key", "abc");
    assertEquals(2, core.published.size());
  }


  @Test
  void aPublishThatFailedGivesItsKeyBackSoARetryPublishes() {
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    core.backplane = io.realtime.port.in.BackplaneStatus.DOWN;
    HttpResponse refused = api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    assertError(refused, 503, "unavailable");
    assertEquals("1", refused.headers().get("Retry-After"));
    core.backplane = io.realtime.port.in.BackplaneStatus.UP;
    HttpResponse retry = api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc");
    assertEquals(202, retry.status(), retry.body());
    assertEquals(retry, api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc"));
    assertEquals(1, core.published.size());
  }

  @Test
  void anIdempotencyStoreOutOfReachIs503AndPublishesNothing() {
    RecordingIdempotencyStore store =
        new RecordingIdempotencyStore(new InMemoryIdempotencyStore(clock));
    idempotency = store;
    store.failing = true;
    HttpResponse r = api("POST", "/api/v1/messages",
        "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}",
        "Idempotency-Key", "abc");
    assertError(r, 503, "unavailable");
    assertEquals("1", r.headers().get("Retry-After"));
    assertEquals(0, core.published.size());
  }

  @Test
  void aRetryWhileTheFirstStillRunsWaitsForItsAnswer() throws Exception {
    String body = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"t\",\"payload\":1}";
    RecordingIdempotencyStore store =
        new RecordingIdempotencyStore(new InMemoryIdempotencyStore(clock));
    idempotency = store;
    api("GET", "/api/v1/stats", ""); // makes the API before the test's thread uses it
    // the first request holds the key (on this node or another sharing the store)
    String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(body.getBytes(StandardCharsets.UTF_8)));
    IdempotencyStore.Claim.Acquired first = (IdempotencyStore.Claim.Acquired) store
        .claim("api-key\nabc", fingerprint).toCompletableFuture().join();
    CompletableFuture<HttpResponse> retry = CompletableFuture.supplyAsync(
        () -> api("POST", "/api/v1/messages", body, "Idempotency-Key", "abc"));
    assertTrue(store.claims.tryAcquire(3, 10, TimeUnit.SECONDS),
        "the retry looked at least twice while the first ran");
    store.complete(first, new IdempotencyStore.Answer(202, "{\"id\":\"m-1\",\"recipients\":2}"));
    HttpResponse answer = retry.get(10, TimeUnit.SECONDS);
    assertEquals(202, answer.status());
    assertEquals("{\"id\":\"m-1\",\"recipients\":2}", answer.body());
    assertEquals(0, core.published.size());
  }

  @Test
  void serverSideSubscribeIs204Or404() {
    core.connections.add("c-1");
    assertEquals(204, api("POST", "/api/v1/connections/c-1/subscriptions",
        "{\"topic\":\"order:1\"}").status());
    assertEquals(Set.of("order:1"), core.subscriptions.get("c-1"));
    assertError(api("POST", "/api/v1/connections/c-2/subscriptions", "{\"topic\":\"a\"}"),
        404, "not_found");
    assertError(api("POST", "/api/v1/connections/c-1/subscriptions", "{\"topic\":\"a b\"}"),
        400, "bad_request");
    assertError(api("POST", "/api/v1/connections/c-1/subscriptions", "{}"), 400, "bad_request");
  }

  @Test
  void kickIs204Then404() {
    core.connections.add("c-1");
    assertEquals(204, api("DELETE", "/api/v1/connections/c-1", "").status());
    assertError(api("DELETE", "/api/v1/connections/c-1", ""), 404, "not_found");
    assertEquals(List.of("c-1", "c-1"), core.kicked);
  }

  @Test
  void statsOfAClusterListItsNodesAndAStoreOutOfReachIs503() {
    assertEquals("{\"connections\":0,\"users\":0,\"topics\":2}",
        api("GET", "/api/v1/stats", "").body(), "a single node: no nodes field");
    core.nodes = List.of(
        new QueryStatsUseCase.NodeStats("n-1", new QueryStatsUseCase.Stats(3, 2, 1)),
        new QueryStatsUseCase.NodeStats("n-2", new QueryStatsUseCase.Stats(0, 0, 1)));
    assertEquals("{\"connections\":0,\"users\":0,\"topics\":2,\"nodes\":["
        + "{\"id\":\"n-1\",\"connections\":3,\"users\":2,\"topics\":1},"
        + "{\"id\":\"n-2\",\"connections\":0,\"users\":0,\"topics\":1}]}",
        api("GET", "/api/v1/stats", "").body());
    core.clusterDown = true;
    for (String path : List.of("/api/v1/stats", "/api/v1/presence/room")) {
      HttpResponse r = api("GET", path, "");
      assertError(r, 503, "unavailable");
      assertEquals("1", r.headers().get("Retry-After"), path);
    }
  }

  @Test
  void presenceListsUsersSortedForTopicsWithSlashesAndEscapes() {
    core.presence.put(new TopicName("chat/room:1"), Set.of(new UserId("bob"), new UserId("al")));
    String expected = "{\"topic\":\"chat/room:1\",\"users\":[\"al\",\"bob\"]}";
    assertEquals(expected, api("GET", "/api/v1/presence/chat/room:1", "").body());
    assertEquals(expected, api("GET", "/api/v1/presence/chat%2Froom%3A1", "").body());
    assertEquals("{\"topic\":\"empty\",\"users\":[]}",
        api("GET", "/api/v1/presence/empty", "").body());
    assertError(api("GET", "/api/v1/presence/bad%20topic", ""), 400, "bad_request");
    assertError(api("GET", "/api/v1/presence/%zz", ""), 400, "bad_request");
  }

  @Test
  void statsAnswerCounts() {
    core.connectionCount = 5;
    core.perUser.put(new UserId("a"), 5);
    assertEquals("{\"connections\":5,\"users\":1,\"topics\":2}",
        api("GET", "/api/v1/stats", "").body());
  }


  @Test
  void devRoutesDoNotExistOutsideDevMode() {
    assertError(call("GET", "/", ""), 404, "not_found");
    assertError(call("GET", "/demo/app.js", ""), 404, "not_found");
    assertError(call("POST", "/dev/token", "{\"sub\":\"alice\"}"), 404, "not_found");
  }

  @Test
  void devModeServesTheDemoAndMintsTokens() {
    settings = settings.withDevMode(true);
    DevTokenRequest[] asked = new DevTokenRequest[1];
    minter = request -> {
      asked[0] = request;
      return "dev.token." + request.subject();
    };
    HttpResponse page = call("GET", "/", "");
    assertEquals(200, page.status());
    assertEquals(HttpResponse.HTML, page.contentType());
    assertTrue(page.body().contains("/demo/app.js"), "the demo app is a module on the client");
    HttpResponse app = call("GET", "/demo/app.js", "");
    assertEquals(200, app.status());
    assertTrue(app.body().contains("from \"/realtime.js\""), "the app imports the served client");
    HttpResponse token = call("POST", "/dev/token",
        "{\"sub\":\"alice\",\"roles\":[\"admin\"],\"ttlSeconds\":60}");
    assertEquals(200, token.status(), token.body());
    assertEquals("{\"token\":\"dev.token.alice\"}", token.body());
    assertEquals(new DevTokenRequest("alice", List.of("admin"), List.of(), List.of(),
        Duration.ofSeconds(60)), asked[0]);
    assertError(call("POST", "/dev/token", "{\"roles\":[]}"), 400, "bad_request");
    assertError(call("POST", "/dev/token", "{\"sub\":\"a\",\"roles\":[1]}"), 400, "bad_request");
    assertError(call("POST", "/dev/token", "{\"sub\":\"a\",\"ttlSeconds\":0}"), 400,
        "bad_request");
  }

  // --- the JavaScript client ---

  @Test
  void theClientAndItsTypesAreServedInEveryMode() {
    for (boolean dev : new boolean[] {false, true}) {
      settings = settings.withDevMode(dev);
      minter = request -> "t";
      instance = null;
      HttpResponse js = call("GET", "/realtime.js", "");
      assertEquals(200, js.status(), js.body());
      assertEquals("text/javascript; charset=utf-8", js.contentType());
      assertTrue(js.body().contains("export class RealtimeClient"), "the client itself");
      HttpResponse types = call("GET", "/realtime.d.ts", "");
      assertEquals(200, types.status());
      assertTrue(types.body().contains("export declare class RealtimeClient"));
      assertEquals("*", js.headers().get("Access-Control-Allow-Origin"), "importable anywhere");
    }
    assertError(call("POST", "/realtime.js", ""), 405, "method_not_allowed");
  }

  @Test
  void theClientIsRevalidatedByItsETag() {
    HttpResponse first = call("GET", "/realtime.js", "");
    String etag = first.headers().get("ETag");
    assertTrue(etag != null && etag.startsWith("\""), String.valueOf(etag));
    assertEquals("no-cache", first.headers().get("Cache-Control"));
    HttpResponse again = call("GET", "/realtime.js", "", "If-None-Match", etag);
    assertEquals(304, again.status());
    assertEquals("", again.body());
    assertEquals(200, call("GET", "/realtime.js", "", "If-None-Match", "\"other\"").status());
  }

  @Test
  void devModeApiNeedsTheAdminPermissionAsInProduction() {
    // anyone can mint a dev token: {"sub":"eve"} must not broadcast or kick
    settings = settings.withDevMode(true);
    minter = request -> "t";
    String message = "{\"target\":{\"kind\":\"broadcast\"},\"type\":\"n\",\"payload\":{}}";
    HttpResponse eve = call("POST", "/api/v1/messages", message, "Authorization",
        "Bearer user-jwt");
    assertError(eve, 401, "unauthorized");
    assertTrue(eve.body().contains("realtime:admin"), eve.body());
    assertError(call("DELETE", "/api/v1/connections/c-1", "", "Authorization",
        "Bearer user-jwt"), 401, "unauthorized");
    assertEquals(202, call("POST", "/api/v1/messages", message, "Authorization",
        "Bearer admin-jwt").status());
    assertError(call("GET", "/api/v1/stats", "", "Authorization", "Bearer forged"), 401,
        "unauthorized");
  }

  @Test
  void aFailingRouteIs500NotAnException() {
    HttpApi api = new HttpApi(settings, core.useCases(), () -> {
      throw new IllegalStateException("scrape failed");
    }, null, idempotency);
    HttpResponse r = api.handle(new HttpRequest("GET", "/metrics", NamedValues.EMPTY,
        NamedValues.EMPTY, "", ""));
    assertError(r, 500, "internal_error");
  }
}
