package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.Principal;
import io.realtime.domain.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakePolicyTest {
  private final FakeCore core = new FakeCore()
      .token("alice-token", Principal.of(new UserId("alice")))
      .token("bob-token", Principal.of(new UserId("bob")))
      .token("carol-token", Principal.of(new UserId("carol")));
  private final AtomicLong nanos = new AtomicLong();
  private RealtimeSettings settings = RealtimeSettings.defaults();
  private HandshakePolicy policy;

  /** The policy under test, made from {@link #settings} on first use. */
  private HandshakePolicy policy() {
    if (policy == null) {
      policy = new HandshakePolicy(settings, core, core, nanos::get);
    }
    return policy;
  }

  private HandshakeDecision decide(Map<String, List<String>> headers,
      Map<String, List<String>> query) {
    return policy().decide(new HandshakeRequest("/ws", NamedValues.of(query),
        NamedValues.headers(headers), "127.0.0.1"));
  }

  private HandshakeDecision.Refuse refused(Map<String, List<String>> headers,
      Map<String, List<String>> query) {
    return assertInstanceOf(HandshakeDecision.Refuse.class, decide(headers, query));
  }

  private HandshakeDecision.Accept accepted(Map<String, List<String>> headers,
      Map<String, List<String>> query) {
    return assertInstanceOf(HandshakeDecision.Accept.class, decide(headers, query));
  }

  private static Map<String, List<String>> bearer(String token) {
    return Map.of("Authorization", List.of("Bearer " + token));
  }

  @Test
  void noTokenIs401WithBearerChallenge() {
    HandshakeDecision.Refuse r = refused(Map.of(), Map.of());
    assertEquals(401, r.status());
    assertEquals("unauthorized", r.error());
    assertEquals("Bearer realm=\"realtime\"", r.headers().get("WWW-Authenticate"));
    assertEquals("{\"error\":\"unauthorized\",\"message\":\"no token was given\"}", r.body());
  }

  @Test
  void badTokenIs401NamingTheFailureNotTheToken() {
    HandshakeDecision.Refuse r = refused(bearer("forged"), Map.of());
    assertEquals(401, r.status());
    assertEquals("the token's signature does not verify", r.message());
    assertTrue(r.headers().get("WWW-Authenticate").contains("invalid_token"));
    assertFalse(r.body().contains("forged"));
  }

  @Test
  void authorizationHeaderWinsOverSubprotocolAndQuery() {
    HandshakeDecision.Accept a = accepted(Map.of("Authorization", List.of("Bearer alice-token"),
        "Sec-WebSocket-Protocol", List.of("realtime.v1, bearer.bob-token")),
        Map.of("token", List.of("carol-token")));
    assertEquals("alice", a.principal().user().value());
    assertEquals("header", a.metadata().get("tokenSource"));
  }

  @Test
  void subprotocolWinsOverQueryAndIsAnsweredWithRealtimeV1() {
    HandshakeDecision.Accept a = accepted(
        Map.of("Sec-WebSocket-Protocol", List.of("realtime.v1", "bearer.bob-token")),
        Map.of("token", List.of("carol-token")));
    assertEquals("bob", a.principal().user().value());
    assertEquals("realtime.v1", a.subprotocol());
    assertEquals("subprotocol", a.metadata().get("tokenSource"));
  }

  @Test
  void queryTokenIsTheLastResort() {
    HandshakeDecision.Accept a = accepted(Map.of(), Map.of("token", List.of("carol-token")));
    assertEquals("carol", a.principal().user().value());
    assertEquals("", a.subprotocol(), "no subprotocol was offered, none is answered");
  }

  @Test
  void aBadTokenInTheWinningPlaceIsNotRescuedByALaterOne() {
    HandshakeDecision.Refuse r = refused(bearer("forged"),
        Map.of("token", List.of("carol-token")));
    assertEquals(401, r.status());
  }

  @Test
  void nonBearerAuthorizationIsIgnored() {
    HandshakeDecision.Accept a = accepted(Map.of("Authorization", List.of("Basic Zm9vOmJhcg==")),
        Map.of("token", List.of("carol-token")));
    assertEquals("carol", a.principal().user().value());
  }

  @Test
  void metadataNeverCarriesTheToken() {
    HandshakeDecision.Accept a = accepted(Map.of("User-Agent", List.of("test-agent"),
        "Sec-WebSocket-Protocol", List.of("realtime.v1, bearer.bob-token")), Map.of());
    assertEquals("127.0.0.1", a.metadata().get("remoteAddress"));
    assertEquals("test-agent", a.metadata().get("userAgent"));
    assertFalse(a.metadata().toString().contains("bob-token"));
  }

  @Test
  void originNotOnTheAllowListIs403() {
    settings = settings.withAllowedOrigins(Set.of("https://app.example.com/"));
    Map<String, List<String>> headers = new HashMap<>(bearer("alice-token"));
    headers.put("Origin", List.of("https://evil.example.com"));
    HandshakeDecision.Refuse r = refused(headers, Map.of());
    assertEquals(403, r.status());
    assertEquals("forbidden_origin", r.error());
    headers.put("Origin", List.of("HTTPS://APP.example.com"));
    accepted(headers, Map.of());
    accepted(bearer("alice-token"), Map.of()); // no Origin: not a browser, passes
  }

  @Test
  void emptyAllowListAllowsEveryOrigin() {
    Map<String, List<String>> headers = new HashMap<>(bearer("alice-token"));
    headers.put("Origin", List.of("https://anywhere.example"));
    accepted(headers, Map.of());
  }

  @Test
  void perUserCapIs429AndAReleasedPlaceCanBeTakenAgain() {
    settings = settings.withMaxConnectionsPerUser(2);
    HandshakeDecision.Accept first = accepted(bearer("alice-token"), Map.of());
    accepted(bearer("alice-token"), Map.of());
    HandshakeDecision.Refuse r = refused(bearer("alice-token"), Map.of());
    assertEquals(429, r.status());
    assertEquals("too_many_connections", r.error());
    accepted(bearer("bob-token"), Map.of());
    first.reservation().release();
    first.reservation().release(); // twice counts once
    accepted(bearer("alice-token"), Map.of());
    refused(bearer("alice-token"), Map.of());
    assertEquals(3, policy().budget().total());
  }

  @Test
  void globalCapIs503OverloadedWithJitteredRetryAfter() {
    settings = settings.withMaxConnections(2);
    accepted(bearer("alice-token"), Map.of());
    accepted(bearer("bob-token"), Map.of());
    int checked = core.authentications.get();
    HandshakeDecision.Refuse r = refused(bearer("carol-token"), Map.of());
    assertEquals(503, r.status());
    assertEquals("overloaded", r.error());
    int retry = Integer.parseInt(r.headers().get("Retry-After"));
    assertTrue(retry >= 5 && retry <= 10, "Retry-After " + retry);
    assertEquals(checked, core.authentications.get(), "an overloaded node verifies nothing");
  }

  @Test
  void simultaneousUpgradesOfOneUserNeverPassTheCapTogether() throws Exception {
    settings = settings.withMaxConnectionsPerUser(16);
    HandshakePolicy shared = policy();
    int attempts = 50;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HandshakeDecision>> all = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        all.add(pool.submit(() -> {
          go.await();
          return shared.decide(new HandshakeRequest("/ws", NamedValues.EMPTY,
              NamedValues.headers(bearer("alice-token")), "127.0.0.1"));
        }));
      }
      go.countDown();
      List<HandshakeDecision.Accept> accepted = new ArrayList<>();
      int refused = 0;
      for (Future<HandshakeDecision> f : all) {
        HandshakeDecision d = f.get(10, TimeUnit.SECONDS);
        if (d instanceof HandshakeDecision.Accept a) {
          accepted.add(a);
        } else {
          assertEquals(429, ((HandshakeDecision.Refuse) d).status());
          refused++;
        }
      }
      assertEquals(16, accepted.size());
      assertEquals(34, refused);
      accepted.forEach(a -> a.reservation().release());
      assertEquals(0, shared.budget().total());
      assertEquals(0, shared.budget().of(new UserId("alice")));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUnclaimedReservationLapsesAfterItsLease() {
    settings = settings.withMaxConnectionsPerUser(1);
    HandshakeDecision.Accept lost = accepted(bearer("alice-token"), Map.of());
    refused(bearer("alice-token"), Map.of());
    nanos.addAndGet(HandshakePolicy.RESERVATION_LEASE_NANOS + 1);
    HandshakeDecision.Accept again = accepted(bearer("alice-token"), Map.of());
    assertTrue(again.reservation().claim());
    assertFalse(lost.reservation().claim(), "a lapsed place cannot be claimed");
    assertEquals(1, policy().budget().total());
  }

  @Test
  void upgradeRateIs503OverloadedBeforeTheTokenIsChecked() {
    settings = settings.withUpgradeRate(2, 3);
    for (int i = 0; i < 3; i++) {
      accepted(bearer("alice-token"), Map.of());
    }
    int checked = core.authentications.get();
    HandshakeDecision.Refuse r = refused(bearer("bob-token"), Map.of());
    assertEquals(503, r.status());
    assertEquals("overloaded", r.error());
    assertTrue(r.message().contains("upgrade rate"), r.message());
    int retry = Integer.parseInt(r.headers().get("Retry-After"));
    assertTrue(retry >= 2 && retry <= 4,
        "Retry-After " + retry + " (burst 3 at 2/s refills in 2 s)");
    assertEquals(checked, core.authentications.get(), "a paced upgrade costs no token check");
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // one token back
    accepted(bearer("bob-token"), Map.of());
    refused(bearer("carol-token"), Map.of());
  }

  @Test
  void drainingIs503ShuttingDownBeforeAnythingElse() {
    core.draining = true;
    HandshakeDecision.Refuse r = refused(Map.of(), Map.of());
    assertEquals(503, r.status());
    assertEquals("shutting_down", r.error());
    int retry = Integer.parseInt(r.headers().get("Retry-After"));
    assertTrue(retry >= 2 && retry <= 4, "Retry-After " + retry);
  }

  @Test
  void retryAfterIsJittered() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(HandshakePolicy.retryAfter(5));
    }
    assertTrue(seen.size() > 1, "values vary: " + seen);
  }

  @Test
  void credentialToStringHidesTheToken() {
    assertFalse(new HandshakePolicy.Credential("secret", "query").toString().contains("secret"));
  }
}
