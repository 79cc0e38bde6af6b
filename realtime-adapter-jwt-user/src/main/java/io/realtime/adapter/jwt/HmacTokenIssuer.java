package io.realtime.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Signs HS256 tokens with a shared secret: for the server's dev mode ({@code POST /dev/token})
 * and for tests. Tokens carry {@code sub}, {@code iat}, {@code exp}, and {@code roles},
 * {@code permissions} and {@code topics} as JSON arrays (the default claim names), then the
 * extra claims; no {@code kid}.
 *
 * <p>Thread-safe and non-blocking. Not meant for production issuing: that is the identity
 * provider's job.
 */
public final class HmacTokenIssuer {
  private final MACSigner signer;
  private final Clock clock;

  public HmacTokenIssuer(KeySource.Secret secret) {
    this(secret, Clock.systemUTC());
  }

  /** An issuer whose {@code iat} and {@code exp} count from {@code clock}. */
  public HmacTokenIssuer(KeySource.Secret secret, Clock clock) {
    Objects.requireNonNull(secret, "secret");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      signer = new MACSigner(secret.bytes());
    } catch (JOSEException e) { // cannot happen: Secret holds at least 256 bits
      throw new IllegalArgumentException("unusable HS256 secret", e);
    }
  }

  /** 32 random bytes from a {@link SecureRandom}: an ephemeral dev-mode key. */
  public static byte[] randomSecret() {
    byte[] secret = new byte[KeySource.Secret.MIN_BYTES];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /** A signed token for {@code claims}. */
  public String issue(TokenClaims claims) {
    Instant now = clock.instant();
    var builder = new JWTClaimsSet.Builder()
        .subject(claims.subject())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(claims.ttl())))
        .claim("roles", new ArrayList<>(claims.roles()))
        .claim("permissions", new ArrayList<>(claims.permissions()))
        .claim("topics", new ArrayList<>(claims.topics()));
    claims.extra().forEach(builder::claim);
    var jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
        builder.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) { // HMAC over a valid key does not fail
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jwt.serialize();
  }

  /** A signed token granting {@code roles}, {@code permissions} and {@code topics}. */
  public String issue(String subject, Set<String> roles, Set<String> permissions,
      List<String> topics, Duration ttl) {
    return issue(new TokenClaims(subject, roles, permissions, topics, ttl, Map.of()));
  }

  /** A signed token for {@code subject} with arbitrary further claims (see {@link TokenClaims}). */
  public String issue(String subject, Duration ttl, Map<String, ?> claims) {
    return issue(new TokenClaims(subject, Set.of(), Set.of(), List.of(), ttl, Map.copyOf(claims)));
  }
}
