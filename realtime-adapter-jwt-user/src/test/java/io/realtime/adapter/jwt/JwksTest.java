package io.realtime.adapter.jwt;

import static io.realtime.adapter.jwt.TestTokens.NOW;
import static io.realtime.adapter.jwt.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys from a JWKS endpoint on loopback: caching, rotation, rate limit, outages, timeouts. */
class JwksTest {
  private static RSAKey first;
  private static RSAKey second;
  private static ECKey ec;

  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void generateKeys() {
    first = TestTokens.rsa("key-1");
    second = TestTokens.rsa("key-2");
    ec = TestTokens.ec(Curve.P_256, "ec-1");
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
  }

  private JwksServer server(com.nimbusds.jose.jwk.JWK... keys) {
    var server = new JwksServer(keys);
    closing.add(server);
    return server;
  }

  private NimbusTokenVerifier verifier(KeySource.Jwks jwks) {
    var verifier = new NimbusTokenVerifier(JwtSettings.of(jwks), Clock.fixed(NOW, ZoneOffset.UTC));
    closing.add(0, verifier); // closed before the server it talks to
    return verifier;
  }

  private static String token(RSAKey key) {
    return TestTokens.sign(key, JWSAlgorithm.RS256, claims("alice").build());
  }

  private static void assertValid(TokenCheck check) {
    assertInstanceOf(TokenCheck.Valid.class, check, () -> String.valueOf(check));
  }

  private static void assertRefused(AuthFailure expected, TokenCheck check) {
    var refused = assertInstanceOf(TokenCheck.Invalid.class, check);
    assertEquals(expected, refused.reason(), refused.detail());
  }

  @Test
  void keysAreFetchedLazilyOnceAndCached() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    assertEquals(0, server.fetches(), "building the verifier must not fetch");

    for (int i = 0; i < 50; i++) {
      assertValid(verifier.verify(token(first)));
    }

    assertEquals(1, server.fetches());
  }

  @Test
  void ecKeysAndTokensWithoutKidVerify() throws JOSEException {
    var server = server(first, ec);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    String noKid = TestTokens.sign(new com.nimbusds.jose.crypto.ECDSASigner(ec),
        new JWSHeader(JWSAlgorithm.ES256), claims("alice").build());

    assertValid(verifier.verify(TestTokens.sign(ec, JWSAlgorithm.ES256, claims("a").build())));
    assertValid(verifier.verify(noKid));
  }

  @Test
  void rotatedKeyCausesExactlyOneRefetchAndIsAccepted() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    assertValid(verifier.verify(token(first)));
    assertEquals(1, server.fetches());

    server.serve(first, second); // the provider rotates in key-2

    assertValid(verifier.verify(token(second)));
    assertEquals(2, server.fetches());
    for (int i = 0; i < 20; i++) {
      assertValid(verifier.verify(token(second)));
      assertValid(verifier.verify(token(first)));
    }
    assertEquals(2, server.fetches());
  }

  @Test
  void unknownKidsAreRateLimited() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    assertValid(verifier.verify(token(first)));

    // Nimbus allows two fetches per interval: the first load and one refetch
    assertRefused(AuthFailure.UNKNOWN_KEY, verifier.verify(token(second)));
    assertEquals(2, server.fetches());
    for (int i = 0; i < 20; i++) {
      RSAKey stranger = new RSAKey.Builder(second).keyID("stranger-" + i).build();
      assertRefused(AuthFailure.UNKNOWN_KEY, verifier.verify(token(stranger)));
    }
    assertEquals(2, server.fetches(), "unknown kids must not hammer the provider");
    assertValid(verifier.verify(token(first)));
  }

  @Test
  void unknownKidIsFetchedAgainOnceTheRateLimitInterval() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withRefreshRateLimit(Duration.ofMillis(200)));
    assertValid(verifier.verify(token(first)));
    assertRefused(AuthFailure.UNKNOWN_KEY, verifier.verify(token(second)));
    assertRefused(AuthFailure.UNKNOWN_KEY, verifier.verify(token(second)));
    int limited = server.fetches();

    server.serve(first, second);

    Await.until(Duration.ofSeconds(5), "key-2 accepted after the rate-limit interval",
        () -> verifier.verify(token(second)) instanceof TokenCheck.Valid);
    assertTrue(server.fetches() <= limited + 2, "fetches: " + server.fetches());
  }

  @Test
  void cachedKeysKeepVerifyingWhileTheEndpointFails() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withRefreshRateLimit(Duration.ofMillis(50)).withCacheTtl(Duration.ofMillis(200)));
    assertValid(verifier.verify(token(first)));

    server.mode(JwksServer.Mode.FAIL);
    int before = server.fetches();

    // poll past the cache TTL: refreshes are attempted, fail, and the cached key still serves
    Await.until(Duration.ofSeconds(5), "a refresh attempt against the failing endpoint", () -> {
      assertValid(verifier.verify(token(first)));
      return server.fetches() >= before + 2;
    });
    assertValid(verifier.verify(token(first)));
  }

  @Test
  void cachedKeysKeepVerifyingWhileTheEndpointIsGone() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withRefreshRateLimit(Duration.ofMillis(20)).withCacheTtl(Duration.ofMillis(100)));
    assertValid(verifier.verify(token(first)));

    server.stop();

    // at least six TTLs pass between the verifications (parked, not spun): several refreshes
    // fail against a closed port, and the cached key serves every one; a slow machine only
    // makes the gaps longer
    for (int i = 0; i < 10; i++) {
      LockSupport.parkNanos(Duration.ofMillis(60).toNanos());
      assertValid(verifier.verify(token(first)));
    }
  }

  @Test
  void noKeysEverFetchedIsKeysUnavailable() {
    var server = server(first);
    server.mode(JwksServer.Mode.FAIL);
    var verifier = verifier(KeySource.Jwks.of(server.url()));

    for (int i = 0; i < 5; i++) { // past the rate limit too: still "unavailable", not "unknown"
      assertRefused(AuthFailure.KEYS_UNAVAILABLE, verifier.verify(token(first)));
    }
    assertTrue(server.fetches() <= 4, "fetches: " + server.fetches());
  }

  @Test
  void keysBecomeAvailableWhenTheEndpointRecovers() {
    var server = server(first);
    server.mode(JwksServer.Mode.FAIL);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withRefreshRateLimit(Duration.ofMillis(100)));
    assertRefused(AuthFailure.KEYS_UNAVAILABLE, verifier.verify(token(first)));

    server.serve(first);

    Await.until(Duration.ofSeconds(5), "keys after recovery",
        () -> verifier.verify(token(first)) instanceof TokenCheck.Valid);
  }

  @Test
  void outageToleranceEnds() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withRefreshRateLimit(Duration.ofMillis(20)).withCacheTtl(Duration.ofMillis(100))
        .withOutageTolerance(Duration.ofMillis(300)));
    assertValid(verifier.verify(token(first)));

    server.mode(JwksServer.Mode.FAIL);

    Await.until(Duration.ofSeconds(5), "stale keys dropped after the outage tolerance",
        () -> verifier.verify(token(first)) instanceof TokenCheck.Invalid refused
            && refused.reason() == AuthFailure.KEYS_UNAVAILABLE);
  }

  @Test
  void hangingEndpointIsCutOffByTheHttpTimeout() {
    var server = server(first);
    server.mode(JwksServer.Mode.HANG);
    var verifier = verifier(KeySource.Jwks.of(server.url())
        .withHttpTimeout(Duration.ofMillis(200)));

    // the endpoint never answers: that verify returns at all is the timeout at work (one read
    // timeout and one retry, about 400 ms); the bound only keeps a regression from hanging
    CompletableFuture<TokenCheck> check = CompletableFuture.supplyAsync(
        () -> verifier.verify(token(first)));
    assertRefused(AuthFailure.KEYS_UNAVAILABLE,
        assertDoesNotThrow(() -> check.get(30, TimeUnit.SECONDS), "the HTTP timeout cut it"));
  }

  @Test
  void hmacIsNeverAcceptedFromAJwks() throws JOSEException {
    OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).keyID("oct-1").generate();
    var server = server();
    server.serveWhole(first, oct); // a provider that wrongly publishes a shared secret
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    assertValid(verifier.verify(token(first)));
    String hs = TestTokens.sign(new MACSigner(oct), new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID("oct-1").build(), claims("mallory").build());

    assertRefused(AuthFailure.ALGORITHM_NOT_ALLOWED, verifier.verify(hs));
    assertEquals(1, server.fetches());
  }

  @Test
  void hs256SignedWithTheJwksPublicKeyIsRefused() throws JOSEException {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    String forged = TestTokens.sign(new MACSigner(first.toRSAPublicKey().getEncoded()),
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(),
        claims("mallory").build());

    assertRefused(AuthFailure.ALGORITHM_NOT_ALLOWED, verifier.verify(forged));
  }

  @Test
  void tamperedTokenWithAKnownKidIsBadSignature() {
    var server = server(first);
    var verifier = verifier(KeySource.Jwks.of(server.url()));
    String good = token(first);
    String other = TestTokens.sign(first, JWSAlgorithm.RS256, claims("mallory").build());
    String spliced = good.substring(0, good.lastIndexOf('.'))
        + other.substring(other.lastIndexOf('.'));

    assertRefused(AuthFailure.BAD_SIGNATURE, verifier.verify(spliced));
  }

  @Test
  void impossibleSettingsAreRefused() {
    URI url = URI.create("https://idp.example/jwks");
    assertThrows(IllegalArgumentException.class, () -> KeySource.Jwks.of(url)
        .withRefreshRateLimit(Duration.ofMinutes(5)));
    assertThrows(IllegalArgumentException.class, () -> KeySource.Jwks.of(url)
        .withHttpTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> KeySource.Jwks.of(URI.create("file:///etc/jwks.json")));
    assertThrows(IllegalArgumentException.class, () -> KeySource.Jwks.of(URI.create("/jwks")));
  }
}
