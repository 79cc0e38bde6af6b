package io.realtime.adapter.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import io.realtime.domain.Principal;
import io.realtime.port.out.AuthFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The registered claims of a token whose signature verified: {@code exp}, {@code nbf},
 * {@code iss}, {@code aud}, {@code sub}, checked in that order (the first failure answers).
 * Thread-safe; time comes from the clock given, so tests need not build tokens around "now".
 *
 * <p>Done here rather than by Nimbus's {@code DefaultJWTClaimsVerifier}: each check gives its
 * own {@link AuthFailure} instead of an exception message to match on.
 */
final class ClaimsPolicy {
  private final Clock clock;
  private final Duration skew;
  private final Optional<String> issuer;
  private final Optional<String> audience;

  ClaimsPolicy(JwtSettings settings, Clock clock) {
    this.clock = clock;
    this.skew = settings.clockSkew();
    this.issuer = settings.requiredIssuer();
    this.audience = settings.requiredAudience();
  }

  /** The token's expiry, {@code Principal.NEVER} when it has none; or the first refusal. */
  Instant check(JWTClaimsSet claims) throws Rejection {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    // RFC 7519: valid strictly before exp, from nbf on; the skew widens both ends
    if (exp != null && !now.isBefore(exp.toInstant().plus(skew))) {
      throw new Rejection(AuthFailure.EXPIRED);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw new Rejection(AuthFailure.NOT_YET_VALID);
    }
    if (issuer.isPresent()) {
      String iss = claims.getIssuer();
      if (iss == null) {
        throw new Rejection(AuthFailure.WRONG_ISSUER, "the token has no issuer (iss)");
      }
      if (!iss.equals(issuer.get())) {
        throw new Rejection(AuthFailure.WRONG_ISSUER);
      }
    }
    if (audience.isPresent()) {
      List<String> aud = claims.getAudience(); // never null: empty when absent
      if (aud.isEmpty()) {
        throw new Rejection(AuthFailure.WRONG_AUDIENCE, "the token has no audience (aud)");
      }
      if (!aud.contains(audience.get())) {
        throw new Rejection(AuthFailure.WRONG_AUDIENCE);
      }
    }
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) {
      throw new Rejection(AuthFailure.NO_SUBJECT);
    }
    return exp == null ? Principal.NEVER : exp.toInstant();
  }
}
