package io.realtime.adapter.jwt;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the keys that sign accepted tokens come from; the kind of key decides the accepted
 * algorithms (see {@link NimbusTokenVerifier}). Immutable values; nothing is read or fetched
 * until a verifier is built from them.
 */
public sealed interface KeySource {
  /**
   * A shared HS256 secret of at least 32 bytes. The array is copied in and out, and the secret
   * never appears in {@link #toString()} or in an exception message.
   */
  record Secret(byte[] bytes) implements KeySource {
    /** The shortest secret HS256 allows (RFC 7518, section 3.2): 256 bits. */
    public static final int MIN_BYTES = 32;

    public Secret {
      Objects.requireNonNull(bytes, "bytes");
      if (bytes.length < MIN_BYTES) {
        throw new IllegalArgumentException("an HS256 secret must be at least " + MIN_BYTES
            + " bytes (256 bits); this one has " + bytes.length + " bytes");
      }
      bytes = bytes.clone();
    }

    /** The UTF-8 bytes of {@code secret}, as {@code REALTIME_JWT_SECRET} gives it. */
    public static Secret utf8(String secret) {
      Objects.requireNonNull(secret, "secret");
      return new Secret(secret.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
      // constant time: equality of secrets should not leak where they differ
      return other instanceof Secret that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Secret[" + bytes.length + " bytes]";
    }
  }

  /**
   * A PEM file holding an RSA or EC public key: a {@code PUBLIC KEY} (SubjectPublicKeyInfo)
   * block, or a {@code CERTIFICATE} whose public key is used (its dates and chain are not
   * checked). Read once when the verifier is built.
   */
  record PublicKeyPem(Path path) implements KeySource {
    public PublicKeyPem {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * An identity provider's JWKS endpoint, fetched on first use and cached.
   *
   * @param url http or https address of the JWK set
   * @param cacheTtl how long a fetched set is used before it is fetched again
   * @param refreshRateLimit shortest interval between two fetches caused by unknown key ids
   *     (at most two fetches per interval); must be shorter than {@code cacheTtl}
   * @param httpTimeout connect timeout, and again read timeout, of one fetch
   * @param outageTolerance how long after its last successful fetch a set keeps being used
   *     while the endpoint fails; zero turns this off
   *
   * <p>Each wither checks the whole value, so when shortening both, set the rate limit first:
   * {@code Jwks.of(url).withRefreshRateLimit(ms(50)).withCacheTtl(ms(200))}.
   */
  record Jwks(
      URI url,
      Duration cacheTtl,
      Duration refreshRateLimit,
      Duration httpTimeout,
      Duration outageTolerance)
      implements KeySource {
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REFRESH_RATE_LIMIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofHours(1);

    public Jwks {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!url.isAbsolute() || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          || url.getHost() == null) {
        throw new IllegalArgumentException("a JWKS url must be an absolute http(s) URL: " + url);
      }
      requirePositive(cacheTtl, "cacheTtl");
      requirePositive(refreshRateLimit, "refreshRateLimit");
      requirePositive(httpTimeout, "httpTimeout");
      Objects.requireNonNull(outageTolerance, "outageTolerance");
      if (outageTolerance.isNegative()) {
        throw new IllegalArgumentException("outageTolerance is negative: " + outageTolerance);
      }
      // Nimbus's rate limiter sits behind the cache and refuses this combination
      if (refreshRateLimit.compareTo(cacheTtl) >= 0) {
        throw new IllegalArgumentException("refreshRateLimit (" + refreshRateLimit
            + ") must be shorter than cacheTtl (" + cacheTtl + ")");
      }
      if (httpTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("httpTimeout is too long: " + httpTimeout);
      }
    }

    /** The endpoint with the defaults: 5 min cache, 30 s rate limit, 2 s timeouts, 1 h outage. */
    public static Jwks of(URI url) {
      return new Jwks(url, DEFAULT_CACHE_TTL, DEFAULT_REFRESH_RATE_LIMIT, DEFAULT_HTTP_TIMEOUT,
          DEFAULT_OUTAGE_TOLERANCE);
    }

    public Jwks withCacheTtl(Duration ttl) {
      return new Jwks(url, ttl, refreshRateLimit, httpTimeout, outageTolerance);
    }

    public Jwks withRefreshRateLimit(Duration limit) {
      return new Jwks(url, cacheTtl, limit, httpTimeout, outageTolerance);
    }

    public Jwks withHttpTimeout(Duration timeout) {
      return new Jwks(url, cacheTtl, refreshRateLimit, timeout, outageTolerance);
    }

    public Jwks withOutageTolerance(Duration tolerance) {
      return new Jwks(url, cacheTtl, refreshRateLimit, httpTimeout, tolerance);
    }

    private static void requirePositive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
    }
  }
}
