package io.realtime.adapter.jwt;

import static io.realtime.adapter.jwt.TestTokens.NOW;
import static io.realtime.adapter.jwt.TestTokens.claims;
import static io.realtime.adapter.jwt.TestTokens.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One scenario per reason the verifier can give: a new {@link AuthFailure} constant fails this
 * test until it has one. {@code USER_REJECTED} comes from the host's {@code UserDirectory}, as
 * the core applies it, never from a verifier.
 */
class AuthFailureCoverageTest {
  private static final byte[] SECRET =
      "coverage-secret-0123456789abcdef-xyz".getBytes(StandardCharsets.UTF_8);
  private static final Map<AuthFailure, Supplier<TokenCheck>> SCENARIOS =
      new EnumMap<>(AuthFailure.class);

  private static JwksServer up;
  private static JwksServer down;
  private static NimbusTokenVerifier hmac;
  private static NimbusTokenVerifier jwks;
  private static NimbusTokenVerifier unreachable;

  @BeforeAll
  static void start() {
    RSAKey known = TestTokens.rsa("known");
    RSAKey unknown = new RSAKey.Builder(TestTokens.rsa("other")).keyID("unknown").build();
    up = new JwksServer(known);
    down = new JwksServer(known);
    down.mode(JwksServer.Mode.FAIL);
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    hmac = new NimbusTokenVerifier(JwtSettings.of(new KeySource.Secret(SECRET))
        .withIssuer("https://idp.example").withAudience("realtime"), clock);
    jwks = new NimbusTokenVerifier(JwtSettings.of(KeySource.Jwks.of(up.url())), clock);
    unreachable = new NimbusTokenVerifier(JwtSettings.of(KeySource.Jwks.of(down.url())), clock);

    var good = claims("alice").issuer("https://idp.example").audience("realtime");
    scenario(AuthFailure.MISSING, () -> hmac.verify(""));
    scenario(AuthFailure.MALFORMED, () -> hmac.verify("not-a-jwt"));
    scenario(AuthFailure.BAD_SIGNATURE, () -> hmac.verify(
        hs256("some-other-secret-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8),
            good.build())));
    scenario(AuthFailure.ALGORITHM_NOT_ALLOWED,
        () -> hmac.verify(new PlainJWT(good.build()).serialize()));
    scenario(AuthFailure.EXPIRED, () -> hmac.verify(hs256(SECRET,
        claims("alice").issuer("https://idp.example").audience("realtime")
            .expirationTime(Date.from(NOW.minusSeconds(60))).build())));
    scenario(AuthFailure.NOT_YET_VALID, () -> hmac.verify(hs256(SECRET,
        claims("alice").issuer("https://idp.example").audience("realtime")
            .notBeforeTime(Date.from(NOW.plusSeconds(60))).build())));
    scenario(AuthFailure.WRONG_ISSUER, () -> hmac.verify(hs256(SECRET,
        claims("alice").issuer("https://other.example").audience("realtime").build())));
    scenario(AuthFailure.WRONG_AUDIENCE, () -> hmac.verify(hs256(SECRET,
        claims("alice").issuer("https://idp.example").audience("billing").build())));
    scenario(AuthFailure.NO_SUBJECT, () -> hmac.verify(hs256(SECRET,
        claims("alice").subject(null).issuer("https://idp.example").audience("realtime")
            .build())));
    scenario(AuthFailure.UNKNOWN_KEY, () -> jwks.verify(
        TestTokens.sign(unknown, JWSAlgorithm.RS256, claims("alice").build())));
    scenario(AuthFailure.KEYS_UNAVAILABLE, () -> unreachable.verify(
        TestTokens.sign(known, JWSAlgorithm.RS256, claims("alice").build())));
    // the control: the same setup accepts a good token, so each scenario differs in one thing
    assertInstanceOf(TokenCheck.Valid.class, hmac.verify(hs256(SECRET, good.build())));
    assertInstanceOf(TokenCheck.Valid.class, jwks.verify(
        TestTokens.sign(known, JWSAlgorithm.RS256, claims("alice").build())));
  }

  private static void scenario(AuthFailure reason, Supplier<TokenCheck> scenario) {
    SCENARIOS.put(reason, scenario);
  }

  @AfterAll
  static void stop() {
    hmac.close();
    jwks.close();
    unreachable.close();
    up.close();
    down.close();
  }

  @ParameterizedTest
  @EnumSource(value = AuthFailure.class, mode = EnumSource.Mode.EXCLUDE, names = "USER_REJECTED")
  void everyReasonIsReachable(AuthFailure reason) {
    Supplier<TokenCheck> scenario = SCENARIOS.get(reason);
    assertNotNull(scenario, "no scenario produces " + reason);

    var refused = assertInstanceOf(TokenCheck.Invalid.class, scenario.get());

    assertEquals(reason, refused.reason(), refused.detail());
    assertFalse(refused.detail().isBlank());
  }
}
