package io.realtime.adapter.jwt;

import static io.realtime.adapter.jwt.TestTokens.NOW;
import static io.realtime.adapter.jwt.TestTokens.claims;
import static io.realtime.adapter.jwt.TestTokens.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicName;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** HS256 verification, the registered claims, and the claim mapping. */
class NimbusTokenVerifierTest {
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);

  private final List<NimbusTokenVerifier> verifiers = new ArrayList<>();

  @AfterEach
  void closeVerifiers() {
    verifiers.forEach(NimbusTokenVerifier::close);
  }

  /** A verifier whose clock stands still at {@code now}. */
  private NimbusTokenVerifier verifierAt(Instant now, JwtSettings settings) {
    var verifier = new NimbusTokenVerifier(settings, Clock.fixed(now, ZoneOffset.UTC));
    verifiers.add(verifier);
    return verifier;
  }

  private NimbusTokenVerifier verifier(JwtSettings settings) {
    return verifierAt(NOW, settings);
  }

  private NimbusTokenVerifier verifier() {
    return verifier(JwtSettings.of(new KeySource.Secret(SECRET)));
  }

  private static Principal valid(TokenCheck check) {
    if (check instanceof TokenCheck.Valid valid) {
      return valid.principal();
    }
    return fail("expected a valid token, got " + check);
  }

  private static TokenCheck.Invalid invalid(TokenCheck check, AuthFailure expected) {
    TokenCheck.Invalid invalid = assertInstanceOf(TokenCheck.Invalid.class, check);
    assertEquals(expected, invalid.reason(), invalid.detail());
    return invalid;
  }

  @Test
  void validTokenSpeaksForItsSubject() {
    String token = hs256(SECRET, claims("alice")
        .claim("roles", List.of("admin", "ops"))
        .claim("permissions", List.of("realtime:publish"))
        .claim("topics", List.of("order:*", "user:{sub}"))
        .build());

    Principal principal = valid(verifier().verify(token));

    assertEquals(new UserId("alice"), principal.user());
    assertEquals(Set.of("admin", "ops"), principal.roles());
    assertEquals(Set.of("realtime:publish"), principal.permissions());
    assertEquals(List.of(new TopicPattern("order:*"), new TopicPattern("user:{sub}")),
        principal.topics());
    assertEquals(NOW.plus(Duration.ofHours(1)), principal.expiresAt());
    assertTrue(principal.topics().get(1).matches(new TopicName("user:alice"), principal.user()));
  }

  @Test
  void tokenWithoutExpNeverExpires() {
    String token = hs256(SECRET, new JWTClaimsSet.Builder().subject("alice").build());

    assertEquals(Principal.NEVER, valid(verifier().verify(token)).expiresAt());
  }

  @Test
  void absentClaimsGrantNothing() {
    Principal principal = valid(verifier().verify(hs256(SECRET, claims("alice").build())));

    assertTrue(principal.roles().isEmpty());
    assertTrue(principal.permissions().isEmpty());
    assertTrue(principal.topics().isEmpty());
    assertTrue(principal.attributes().isEmpty());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\t"})
  void noTokenIsMissing(String token) {
    invalid(verifier().verify(token), AuthFailure.MISSING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.!!!.sig",
      "eyJhbGciOiJIUzI1NiJ9", "eyJ0eXAiOiJKV1QifQ.e30.c2ln"})
  void garbageIsMalformed(String token) {
    invalid(verifier().verify(token), AuthFailure.MALFORMED);
  }

  @Test
  void payloadThatIsNotAnObjectIsMalformed() {
    String header = Base64URL.encode("{\"alg\":\"HS256\"}").toString();
    String payload = Base64URL.encode("[1,2]").toString();

    invalid(verifier().verify(header + "." + payload + ".c2ln"), AuthFailure.MALFORMED);
  }

  @Test
  void overlongTokenIsMalformedWithoutParsing() {
    String token = hs256(SECRET, claims("alice")
        .claim("pad", "x".repeat(NimbusTokenVerifier.MAX_TOKEN_CHARS)).build());

    var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
    assertTrue(refused.detail().contains("longer than"), refused.detail());
  }

  @Test
  void tamperedPayloadIsBadSignature() {
    String token = hs256(SECRET, claims("alice").build());
    String[] parts = token.split("\\.");
    String forged = Base64URL.encode(claims("mallory").build().toString()).toString();

    invalid(verifier().verify(parts[0] + "." + forged + "." + parts[2]),
        AuthFailure.BAD_SIGNATURE);
  }

  @Test
  void tokenSignedWithAnotherSecretIsBadSignature() {
    byte[] other = "another-secret-of-32-bytes-or-more!!".getBytes(StandardCharsets.UTF_8);

    invalid(verifier().verify(hs256(other, claims("alice").build())), AuthFailure.BAD_SIGNATURE);
  }

  @Test
  void unsignedTokenIsNeverAccepted() {
    String token = new PlainJWT(claims("alice").build()).serialize(); // alg: none

    var refused = invalid(verifier().verify(token), AuthFailure.ALGORITHM_NOT_ALLOWED);
    assertTrue(refused.detail().contains("none"), refused.detail());
  }

  @Test
  void noneInOtherCaseWithASignatureIsRefused() {
    String token = hs256(SECRET, claims("alice").build());
    String header = Base64URL.encode("{\"alg\":\"NONE\",\"typ\":\"JWT\"}").toString();

    invalid(verifier().verify(header + token.substring(token.indexOf('.'))),
        AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void otherHmacAlgorithmIsRefusedForAnHs256Secret() throws JOSEException {
    byte[] longSecret = new byte[64];
    System.arraycopy(SECRET, 0, longSecret, 0, SECRET.length);
    var verifier = verifier(JwtSettings.of(new KeySource.Secret(longSecret)));
    String token = TestTokens.sign(new MACSigner(longSecret), new JWSHeader(JWSAlgorithm.HS512),
        claims("alice").build());

    var refused = invalid(verifier.verify(token), AuthFailure.ALGORITHM_NOT_ALLOWED);
    assertTrue(refused.detail().contains("HS512"), refused.detail());
  }

  @Test
  void encryptedTokenIsRefused() throws JOSEException {
    var jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
        claims("alice").build());
    jwe.encrypt(new DirectEncrypter(Arrays.copyOf(SECRET, 32)));

    invalid(verifier().verify(jwe.serialize()), AuthFailure.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void keyIdInTheHeaderDoesNotMatterForASingleKey() throws JOSEException {
    String token = TestTokens.sign(new MACSigner(SECRET),
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("whatever").build(),
        claims("alice").build());

    valid(verifier().verify(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"JWT", "jwt", "at+jwt", "application/jwt"})
  void jwtAndAccessTokenTypesAreAccepted(String typ) throws JOSEException {
    String token = TestTokens.sign(new MACSigner(SECRET),
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build(),
        claims("alice").build());

    valid(verifier().verify(token));
  }

  @Test
  void otherTokenTypeIsRefused() throws JOSEException {
    String token = TestTokens.sign(new MACSigner(SECRET),
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("logout+jwt")).build(),
        claims("alice").build());

    var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
    assertTrue(refused.detail().contains("typ"), refused.detail());
  }

  @Test
  void refusalDetailNeverQuotesTheToken() {
    String token = hs256(SECRET, claims("alice").build());
    String[] parts = token.split("\\.");
    List<String> attempts = List.of(token.substring(0, token.length() - 2),
        parts[0] + ".@@@." + parts[2], parts[0] + "." + parts[1], token + "x");
    for (String attempt : attempts) {
      var check = verifier().verify(attempt);
      var refused = assertInstanceOf(TokenCheck.Invalid.class, check);
      for (String part : parts) {
        assertFalse(refused.detail().contains(part), refused.detail());
      }
    }
  }

  /** Seeded mutations of a valid token: never an exception, never a wrongly valid answer. */
  @ParameterizedTest
  @MethodSource("seeds")
  void mutatedTokensAreRefusedWithoutThrowing(long seed) {
    var random = new SplittableRandom(seed);
    String token = hs256(SECRET, claims("alice").claim("roles", List.of("admin")).build());
    String alphabet = "ABCxyz019-_.=+/ {}\"";
    var verifier = verifier();
    for (int round = 0; round < 200; round++) {
      char[] chars = token.toCharArray();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String mutated = new String(chars);
      TokenCheck check = verifier.verify(mutated);
      if (check instanceof TokenCheck.Valid valid) {
        // base64url has spare bits in a final character: such an edit leaves the bytes alone
        assertEquals(new UserId("alice"), valid.principal().user(),
            "seed " + seed + " round " + round + " accepted a changed token");
      }
    }
  }

  static LongStream seeds() {
    return LongStream.of(1, 2, 3, 42, 2026);
  }

  @Test
  void oneVerifierServesManyThreads() throws Exception {
    var verifier = verifier();
    String good = hs256(SECRET, claims("alice").build());
    String expired = hs256(SECRET, claims("bob")
        .expirationTime(Date.from(NOW.minus(Duration.ofHours(1)))).build());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(() -> {
          int right = 0;
          for (int i = 0; i < 500; i++) {
            boolean ok = verifier.verify(good) instanceof TokenCheck.Valid
                && verifier.verify(expired) instanceof TokenCheck.Invalid refused
                && refused.reason() == AuthFailure.EXPIRED;
            right += ok ? 1 : 0;
          }
          return right;
        });
      }
      for (Future<Integer> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        assertEquals(500, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  class Time {
    private String expiringAt(Instant exp) {
      return hs256(SECRET, claims("alice").expirationTime(Date.from(exp)).build());
    }

    private String notBefore(Instant nbf) {
      return hs256(SECRET, claims("alice").notBeforeTime(Date.from(nbf)).build());
    }

    @Test
    void expiredBeyondTheSkewIsExpired() {
      invalid(verifier().verify(expiringAt(NOW.minusSeconds(6))), AuthFailure.EXPIRED);
    }

    @Test
    void expiredWithinTheSkewIsStillValid() {
      valid(verifier().verify(expiringAt(NOW.minusSeconds(4))));
    }

    @Test
    void expiryIsExactAtExpPlusSkew() {
      String token = expiringAt(NOW.minusSeconds(4)); // + 5 s skew = NOW + 1 s
      var settings = JwtSettings.of(new KeySource.Secret(SECRET));
      valid(verifierAt(NOW.plusMillis(999), settings).verify(token));
      invalid(verifierAt(NOW.plusMillis(1000), settings).verify(token), AuthFailure.EXPIRED);
    }

    @Test
    void zeroSkewMeansStrictlyBeforeExp() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClockSkew(Duration.ZERO));
      valid(verifier.verify(expiringAt(NOW.plusSeconds(1))));
      invalid(verifier.verify(expiringAt(NOW)), AuthFailure.EXPIRED);
    }

    @Test
    void notBeforeBeyondTheSkewIsNotYetValid() {
      invalid(verifier().verify(notBefore(NOW.plusSeconds(6))), AuthFailure.NOT_YET_VALID);
    }

    @Test
    void notBeforeWithinTheSkewIsValid() {
      valid(verifier().verify(notBefore(NOW.plusSeconds(5))));
    }

    @Test
    void notBeforeBecomesValidAsTimePasses() {
      String token = notBefore(NOW.plusSeconds(60));
      var settings = JwtSettings.of(new KeySource.Secret(SECRET));
      invalid(verifierAt(NOW.plusSeconds(54), settings).verify(token), AuthFailure.NOT_YET_VALID);
      valid(verifierAt(NOW.plusSeconds(55), settings).verify(token));
    }

    @Test
    void widerSkewIsHonoured() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClockSkew(Duration.ofSeconds(60)));
      valid(verifier.verify(expiringAt(NOW.minusSeconds(59))));
      valid(verifier.verify(notBefore(NOW.plusSeconds(59))));
      invalid(verifier.verify(expiringAt(NOW.minusSeconds(61))), AuthFailure.EXPIRED);
      invalid(verifier.verify(notBefore(NOW.plusSeconds(61))), AuthFailure.NOT_YET_VALID);
    }

    @Test
    void expiryIsCheckedOnlyAfterTheSignature() {
      byte[] other = "another-secret-of-32-bytes-or-more!!".getBytes(StandardCharsets.UTF_8);
      String token = hs256(other, claims("alice")
          .expirationTime(Date.from(NOW.minusSeconds(600))).build());

      invalid(verifier().verify(token), AuthFailure.BAD_SIGNATURE);
    }
  }

  @Nested
  class IssuerAudienceSubject {
    private final JwtSettings checked = JwtSettings.of(new KeySource.Secret(SECRET))
        .withIssuer("https://idp.example/realms/demo").withAudience("realtime");

    @Test
    void matchingIssuerAndAudienceAreAccepted() {
      String token = hs256(SECRET, claims("alice").issuer("https://idp.example/realms/demo")
          .audience(List.of("account", "realtime")).build());

      valid(verifier(checked).verify(token));
    }

    @Test
    void wrongIssuerIsRefused() {
      String token = hs256(SECRET, claims("alice").issuer("https://evil.example")
          .audience("realtime").build());

      invalid(verifier(checked).verify(token), AuthFailure.WRONG_ISSUER);
    }

    @Test
    void missingIssuerIsRefusedWhenOneIsRequired() {
      String token = hs256(SECRET, claims("alice").audience("realtime").build());

      var refused = invalid(verifier(checked).verify(token), AuthFailure.WRONG_ISSUER);
      assertTrue(refused.detail().contains("no issuer"), refused.detail());
    }

    @Test
    void wrongAudienceIsRefused() {
      String token = hs256(SECRET, claims("alice").issuer("https://idp.example/realms/demo")
          .audience("billing").build());

      invalid(verifier(checked).verify(token), AuthFailure.WRONG_AUDIENCE);
    }

    @Test
    void missingAudienceIsRefusedWhenOneIsRequired() {
      String token = hs256(SECRET, claims("alice").issuer("https://idp.example/realms/demo")
          .build());

      invalid(verifier(checked).verify(token), AuthFailure.WRONG_AUDIENCE);
    }

    @Test
    void issuerAndAudienceAreIgnoredWhenNotConfigured() {
      String token = hs256(SECRET, claims("alice").issuer("anyone").audience("anything").build());

      valid(verifier().verify(token));
    }

    @Test
    void tokenWithoutSubjectIsRefused() {
      String token = hs256(SECRET, claims("alice").subject(null).build());

      invalid(verifier().verify(token), AuthFailure.NO_SUBJECT);
    }

    @Test
    void blankSubjectIsNoSubject() {
      invalid(verifier().verify(hs256(SECRET, claims(" ").build())), AuthFailure.NO_SUBJECT);
    }

    @Test
    void numericSubjectIsReadAsText() {
      String token = hs256(SECRET, claims("x").claim("sub", 42).build());

      assertEquals(new UserId("42"), valid(verifier().verify(token)).user());
    }
  }

  @Nested
  class ClaimTypes {
    @Test
    void rolesThatAreANumberAreMalformedNamingTheClaim() {
      String token = hs256(SECRET, claims("alice").claim("roles", 7).build());

      var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("'roles'"), refused.detail());
    }

    @Test
    void permissionsWithANonStringAreMalformed() {
      String token = hs256(SECRET, claims("alice")
          .claim("permissions", List.of("realtime:publish", 3)).build());

      var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("'permissions'"), refused.detail());
    }

    @Test
    void topicsThatAreAnObjectAreMalformed() {
      String token = hs256(SECRET, claims("alice").claim("topics", Map.of("a", "b")).build());

      var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("'topics'"), refused.detail());
    }

    @Test
    void topicPatternWithAStarInsideIsMalformed() {
      String token = hs256(SECRET, claims("alice")
          .claim("topics", List.of("order:*", "a*b")).build());

      var refused = invalid(verifier().verify(token), AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("'topics'"), refused.detail());
    }

    @Test
    void expOfTheWrongTypeIsMalformedNamingIt() {
      String header = Base64URL.encode("{\"alg\":\"HS256\"}").toString();
      String body = Base64URL.encode("{\"sub\":\"alice\",\"exp\":\"tomorrow\"}").toString();

      var refused = invalid(verifier().verify(header + "." + body + ".c2ln"),
          AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("exp"), refused.detail());
    }

    @Test
    void nullClaimGrantsNothing() {
      String token = resign("{\"sub\":\"alice\",\"roles\":null}");

      assertTrue(valid(verifier().verify(token)).roles().isEmpty());
    }

    @Test
    void blankEntriesGrantNothing() {
      String token = hs256(SECRET, claims("alice").claim("roles", List.of("admin", " ", ""))
          .claim("topics", List.of("", "chat")).build());

      Principal principal = valid(verifier().verify(token));
      assertEquals(Set.of("admin"), principal.roles());
      assertEquals(List.of(new TopicPattern("chat")), principal.topics());
    }

    /** An HS256 token over exactly this JSON, which the claims builder could not write. */
    private String resign(String json) {
      try {
        var jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(json));
        jws.sign(new MACSigner(SECRET));
        return jws.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Nested
  class Mapping {
    @Test
    void nestedPathsReadKeycloakRoles() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withRoles("realm_access.roles")));
      String token = hs256(SECRET, claims("alice")
          .claim("realm_access", Map.of("roles", List.of("admin", "offline_access"))).build());

      assertEquals(Set.of("admin", "offline_access"),
          valid(verifier.verify(token)).roles());
    }

    @Test
    void deeperPathsWork() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withRoles("resource_access.realtime.roles")));
      String token = hs256(SECRET, claims("alice").claim("resource_access",
          Map.of("realtime", Map.of("roles", List.of("publisher")))).build());

      assertEquals(Set.of("publisher"), valid(verifier.verify(token)).roles());
    }

    @Test
    void missingPathGrantsNothing() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withRoles("realm_access.roles")));
      String token = hs256(SECRET, claims("alice").claim("realm_access", Map.of()).build());

      assertTrue(valid(verifier.verify(token)).roles().isEmpty());
    }

    @Test
    void pathThroughANonObjectIsMalformed() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withRoles("realm_access.roles")));
      String token = hs256(SECRET, claims("alice").claim("realm_access", "admin").build());

      var refused = invalid(verifier.verify(token), AuthFailure.MALFORMED);
      assertTrue(refused.detail().contains("realm_access"), refused.detail());
    }

    @Test
    void topLevelClaimWithDotsWinsOverAPath() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withRoles("https://example.com/roles")));
      String token = hs256(SECRET, claims("alice")
          .claim("https://example.com/roles", List.of("editor")).build());

      assertEquals(Set.of("editor"), valid(verifier.verify(token)).roles());
    }

    @Test
    void spaceSeparatedScopeBecomesPermissions() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withPermissions("scope")));
      String token = hs256(SECRET, claims("alice")
          .claim("scope", " openid  realtime:publish\trealtime:admin ").build());

      assertEquals(Set.of("openid", "realtime:publish", "realtime:admin"),
          valid(verifier.verify(token)).permissions());
    }

    @Test
    void spaceSeparatedTopicsAreParsedToo() {
      String token = hs256(SECRET, claims("alice").claim("topics", "chat:* user:{sub}").build());

      assertEquals(List.of(new TopicPattern("chat:*"), new TopicPattern("user:{sub}")),
          valid(verifier().verify(token)).topics());
    }

    @Test
    void attributesAreCopiedAsText() {
      var verifier = verifier(JwtSettings.of(new KeySource.Secret(SECRET))
          .withClaims(ClaimMapping.DEFAULTS.withAttributes(
              List.of("email", "tenant.id", "age", "verified", "groups", "absent", "exp"))));
      String token = hs256(SECRET, claims("alice")
          .claim("email", "alice@example.com")
          .claim("tenant", Map.of("id", "t-1"))
          .claim("age", 42)
          .claim("verified", true)
          .claim("groups", List.of("a", "b"))
          .build());

      Map<String, String> attributes = valid(verifier.verify(token)).attributes();
      assertEquals(Map.of("email", "alice@example.com", "tenant.id", "t-1", "age", "42",
          "verified", "true", "groups", "[\"a\",\"b\"]",
          "exp", Long.toString(NOW.plus(Duration.ofHours(1)).getEpochSecond())), attributes);
    }
  }

  @Nested
  class Construction {
    @Test
    void shortSecretIsRefusedSayingHowLong() {
      byte[] tooShort = "twelve-bytes".getBytes(StandardCharsets.UTF_8);

      var error = assertThrows(IllegalArgumentException.class,
          () -> new KeySource.Secret(tooShort));
      assertTrue(error.getMessage().contains("at least 32 bytes"), error.getMessage());
      assertTrue(error.getMessage().contains("12 bytes"), error.getMessage());
      assertFalse(error.getMessage().contains("twelve"), error.getMessage());
    }

    @Test
    void shortUtf8SecretIsRefused() {
      assertThrows(IllegalArgumentException.class, () -> KeySource.Secret.utf8("short"));
    }

    @Test
    void secretNeverShowsInToString() {
      var secret = KeySource.Secret.utf8("a-secret-that-is-long-enough-0123456789");

      assertFalse(secret.toString().contains("a-secret"), secret.toString());
      assertFalse(JwtSettings.of(secret).toString().contains("a-secret"));
    }

    @Test
    void secretIsCopiedInAndOut() {
      byte[] bytes = SECRET.clone();
      var secret = new KeySource.Secret(bytes);
      bytes[0] = 'X';
      secret.bytes()[1] = 'Y';

      assertEquals(new KeySource.Secret(SECRET), secret);
    }

    @Test
    void acceptedAlgorithmsFollowTheKey() {
      assertEquals(List.of("HS256"), List.copyOf(verifier().algorithms()));
    }
  }
}
