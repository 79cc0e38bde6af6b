package io.realtime.adapter.jwt;

import static io.realtime.adapter.jwt.TestTokens.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.SignedJWT;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HmacTokenIssuerTest {
  private final KeySource.Secret secret = new KeySource.Secret(HmacTokenIssuer.randomSecret());
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final HmacTokenIssuer issuer = new HmacTokenIssuer(secret, clock);
  private final NimbusTokenVerifier verifier = new NimbusTokenVerifier(JwtSettings.of(secret), clock);

  @AfterEach
  void close() {
    verifier.close();
  }

  private Principal verified(String token) {
    return assertInstanceOf(TokenCheck.Valid.class, verifier.verify(token)).principal();
  }

  @Test
  void issuedTokenVerifiesWithEverythingItGrants() {
    String token = issuer.issue("alice", Set.of("admin"), Set.of("realtime:publish"),
        List.of("order:*", "user:{sub}"), Duration.ofMinutes(10));

    Principal principal = verified(token);
    assertEquals(new UserId("alice"), principal.user());
    assertEquals(Set.of("admin"), principal.roles());
    assertEquals(Set.of("realtime:publish"), principal.permissions());
    assertEquals(List.of(new TopicPattern("order:*"), new TopicPattern("user:{sub}")),
        principal.topics());
    assertEquals(NOW.plus(Duration.ofMinutes(10)), principal.expiresAt());
  }

  @Test
  void headerIsPlainHs256WithoutKid() throws Exception {
    var header = SignedJWT.parse(issuer.issue(TokenClaims.of("alice"))).getHeader();

    assertEquals("HS256", header.getAlgorithm().getName());
    assertNull(header.getKeyID());
  }

  @Test
  void defaultTtlIsAnHour() {
    assertEquals(NOW.plus(Duration.ofHours(1)),
        verified(issuer.issue(TokenClaims.of("alice"))).expiresAt());
  }

  @Test
  void extraClaimsAreWrittenAndMayReplaceStandardOnes() {
    String token = issuer.issue("alice", Duration.ofMinutes(5),
        Map.of("roles", 7, "tenant", Map.of("id", "t-1")));

    var refused = assertInstanceOf(TokenCheck.Invalid.class, verifier.verify(token));
    assertEquals(AuthFailure.MALFORMED, refused.reason());
  }

  @Test
  void extraClaimsReachTheAttributes() {
    var mapped = new NimbusTokenVerifier(JwtSettings.of(secret)
        .withClaims(ClaimMapping.DEFAULTS.withAttributes(List.of("tenant.id"))), clock);
    try {
      String token = issuer.issue(TokenClaims.of("alice").withClaim("tenant", Map.of("id", "t-1")));
      var principal = assertInstanceOf(TokenCheck.Valid.class, mapped.verify(token)).principal();
      assertEquals(Map.of("tenant.id", "t-1"), principal.attributes());
    } finally {
      mapped.close();
    }
  }

  @Test
  void tokenFromAnotherIssuerSecretIsRefused() {
    var other = new HmacTokenIssuer(new KeySource.Secret(HmacTokenIssuer.randomSecret()), clock);

    var refused = assertInstanceOf(TokenCheck.Invalid.class,
        verifier.verify(other.issue(TokenClaims.of("alice"))));
    assertEquals(AuthFailure.BAD_SIGNATURE, refused.reason());
  }

  @Test
  void randomSecretsAre32FreshBytes() {
    byte[] one = HmacTokenIssuer.randomSecret();
    byte[] two = HmacTokenIssuer.randomSecret();

    assertEquals(32, one.length);
    assertFalse(Arrays.equals(one, two));
  }

  @Test
  void claimsRefuseWhatAJwtCannotCarry() {
    assertThrows(IllegalArgumentException.class, () -> TokenClaims.of(" "));
    assertThrows(IllegalArgumentException.class,
        () -> TokenClaims.of("alice").withTtl(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> TokenClaims.of("alice").withClaim("when", java.time.Instant.now()));
    var nested = new ArrayList<Object>();
    nested.add(null);
    assertThrows(IllegalArgumentException.class,
        () -> TokenClaims.of("alice").withClaim("list", nested));
  }

  @Test
  void claimsAreDeeplyImmutable() {
    var list = new ArrayList<Object>(List.of("a"));
    var claims = TokenClaims.of("alice").withClaim("list", list);
    list.add("b");

    assertEquals(List.of("a"), claims.extra().get("list"));
    assertThrows(UnsupportedOperationException.class, () -> claims.extra().put("x", "y"));
  }
}
