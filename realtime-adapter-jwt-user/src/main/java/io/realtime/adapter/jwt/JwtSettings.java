package io.realtime.adapter.jwt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How tokens are verified: the key, the optional issuer and audience, the clock skew and the
 * claim mapping. A plain value; the host maps its own configuration (environment, flags) to it.
 *
 * @param issuer the required {@code iss}, or empty for no check
 * @param audience a value {@code aud} must contain, or empty for no check
 * @param clockSkew leeway on {@code exp} and {@code nbf}, zero or more
 */
public record JwtSettings(
    KeySource key, String issuer, String audience, Duration clockSkew, ClaimMapping claims) {
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

  public JwtSettings {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(claims, "claims");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew is negative: " + clockSkew);
    }
    // empty means "not checked"; a blank value is a configuration mistake, not "anyone"
    if (!issuer.isEmpty() && issuer.isBlank()) {
      throw new IllegalArgumentException("issuer is blank");
    }
    if (!audience.isEmpty() && audience.isBlank()) {
      throw new IllegalArgumentException("audience is blank");
    }
  }

  /** {@code key}, no issuer or audience check, 5 s skew, the default claim names. */
  public static JwtSettings of(KeySource key) {
    return new JwtSettings(key, "", "", DEFAULT_CLOCK_SKEW, ClaimMapping.DEFAULTS);
  }

  public JwtSettings withIssuer(String required) {
    return new JwtSettings(key, required, audience, clockSkew, claims);
  }

  public JwtSettings withAudience(String required) {
    return new JwtSettings(key, issuer, required, clockSkew, claims);
  }

  public JwtSettings withClockSkew(Duration skew) {
    return new JwtSettings(key, issuer, audience, skew, claims);
  }

  public JwtSettings withClaims(ClaimMapping mapping) {
    return new JwtSettings(key, issuer, audience, clockSkew, mapping);
  }

  /** The issuer {@code iss} must equal, when one is configured. */
  public Optional<String> requiredIssuer() {
    return issuer.isEmpty() ? Optional.empty() : Optional.of(issuer);
  }

  /** The audience {@code aud} must name, when one is configured. */
  public Optional<String> requiredAudience() {
    return audience.isEmpty() ? Optional.empty() : Optional.of(audience);
  }
}
