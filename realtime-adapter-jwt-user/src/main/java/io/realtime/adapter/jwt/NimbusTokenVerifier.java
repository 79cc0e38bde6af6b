package io.realtime.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.realtime.domain.Principal;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.TokenVerifier;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenVerifier} over Nimbus JOSE+JWT.
 *
 * <p>A token is accepted when it is a signed JWT whose algorithm the configured key allows
 * (HS256 for a secret; RS256/384/512 and PS256/384/512 for an RSA key; ES256, ES384 or ES512
 * for an EC key on P-256, P-384 or P-521; all of those asymmetric ones for a JWKS, each
 * matched to keys of its type), whose signature verifies, whose {@code exp} and {@code nbf}
 * hold within the clock skew, whose {@code iss} and {@code aud} match when configured, and
 * which has a {@code sub}. {@code none}, JWE and HMAC with a public key are never accepted.
 *
 * <p>Thread-safe: built once, it shares one Nimbus processor between all callers. {@link
 * #verify} never throws and blocks only to fetch a JWKS (first use, expired cache, unknown
 * {@code kid}), bounded by the configured HTTP timeout. Building it reads a PEM file, and
 * throws {@link IllegalArgumentException} for a key it cannot use; a JWKS is not fetched then.
 * {@link #close()} releases the JWKS source.
 */
public final class NimbusTokenVerifier implements TokenVerifier, AutoCloseable {
  /** Longer tokens are refused unparsed; a Keycloak token with many roles is 4 to 8 KiB. */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(NimbusTokenVerifier.class);
  /** {@code typ} values accepted besides none: a JWT, or an RFC 9068 access token. */
  private static final Set<String> TYPES = Set.of("jwt", "at+jwt", "application/jwt");
  private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9+_.-]{1,32}");

  private final VerificationKeys keys;
  private final ClaimsPolicy policy;
  private final PrincipalMapping mapping;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String acceptedAlgorithms;

  /** A verifier on the system clock. */
  public NimbusTokenVerifier(JwtSettings settings) {
    this(settings, Clock.systemUTC());
  }

  /** A verifier that reads the time for {@code exp} and {@code nbf} from {@code clock}. */
  public NimbusTokenVerifier(JwtSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    keys = VerificationKeys.of(settings.key());
    policy = new ClaimsPolicy(settings, clock);
    mapping = new PrincipalMapping(settings.claims());
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(keys.selector());
    // typ and the claims are checked here, before and after Nimbus, each with its own reason
    // and time from our clock; Nimbus keeps parsing, key selection and the signature
    processor.setJWSTypeVerifier((type, context) -> {});
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    acceptedAlgorithms = String.join(", ", algorithms());
  }

  /** The accepted algorithm names, sorted: for a startup log line. */
  public SortedSet<String> algorithms() {
    return Collections.unmodifiableSortedSet(keys.algorithms().stream()
        .map(JWSAlgorithm::getName)
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Override
  public TokenCheck verify(String token) {
    try {
      return new TokenCheck.Valid(check(token));
    } catch (Rejection rejection) {
      return rejection.invalid();
    } catch (RuntimeException e) {
      // a bug here or in Nimbus; refuse rather than throw into a handshake. No message: it
      // could quote the token
      log.warn("token.verify_error exception={}", e.getClass().getName());
      return new TokenCheck.Invalid(AuthFailure.MALFORMED, "the token could not be verified");
    }
  }

  private Principal check(String token) throws Rejection {
    if (token == null || token.isBlank()) {
      throw new Rejection(AuthFailure.MISSING);
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new Rejection(AuthFailure.MALFORMED,
          "the token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    JWT jwt = parse(token.strip());
    if (jwt instanceof PlainJWT) {
      throw new Rejection(AuthFailure.ALGORITHM_NOT_ALLOWED,
          "unsigned tokens (alg none) are never accepted");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new Rejection(AuthFailure.ALGORITHM_NOT_ALLOWED,
          "encrypted tokens (JWE) are not accepted");
    }
    JWSHeader header = signed.getHeader();
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (!keys.algorithms().contains(algorithm)) {
      String name = PRINTABLE_NAME.matcher(algorithm.getName()).matches()
          ? algorithm.getName() : "the token's algorithm";
      throw new Rejection(AuthFailure.ALGORITHM_NOT_ALLOWED,
          name + " is not accepted; accepted: " + acceptedAlgorithms);
    }
    JOSEObjectType type = header.getType();
    if (type != null && !TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
      throw new Rejection(AuthFailure.MALFORMED,
          "the token's type (typ) is not accepted; expected JWT or at+jwt");
    }
    JWTClaimsSet claims = verifiedClaims(signed);
    Instant expiresAt = policy.check(claims);
    return mapping.principal(claims, expiresAt);
  }

  /**
   * The token as a JWT. A signed one, the only kind accepted, is parsed once: Nimbus's
   * {@code JWTParser} decodes and parses the header to pick the kind and then again to build
   * it (a second Base64 and JSON pass per handshake). Anything that is not a well-formed JWS
   * goes through {@code JWTParser}, so alg none, JWE and broken tokens get the same answers.
   */
  private static JWT parse(String token) throws Rejection {
    try {
      return SignedJWT.parse(token);
    } catch (ParseException notSigned) {
      try {
        return JWTParser.parse(token);
      } catch (ParseException e) {
        throw new Rejection(AuthFailure.MALFORMED, "the token is not a well-formed JWT: "
            + printable(e.getMessage()));
      }
    }
  }

  /** Key selection and signature, by Nimbus; every exception becomes its reason. */
  private JWTClaimsSet verifiedClaims(SignedJWT signed) throws Rejection {
    try {
      return processor.process(signed, null);
    } catch (BadJWSException e) {
      throw new Rejection(AuthFailure.BAD_SIGNATURE);
    } catch (BadJWTException e) {
      // the payload is not a claims set, or a registered claim has the wrong type; the
      // signature has not been checked yet, so nothing else is said
      throw new Rejection(AuthFailure.MALFORMED, "the token's claims are malformed: "
          + printable(e.getMessage()));
    } catch (BadJOSEException e) {
      // the algorithm was checked above, so what is left is "no matching key(s) found"
      throw new Rejection(AuthFailure.UNKNOWN_KEY, signed.getHeader().getKeyID() == null
          ? "no known key matches the token" : "no known key matches the token's key id (kid)");
    } catch (RateLimitReachedException e) {
      // Nimbus refused to refetch: a recent fetch already missed this kid, or is failing
      if (keys.holdsKeys()) {
        throw new Rejection(AuthFailure.UNKNOWN_KEY,
            "no known key matches the token's key id (kid); keys were refetched recently");
      }
      throw new Rejection(AuthFailure.KEYS_UNAVAILABLE);
    } catch (KeySourceException e) {
      throw new Rejection(AuthFailure.KEYS_UNAVAILABLE); // logged where it was fetched
    } catch (JOSEException e) {
      // a verifier could not be made for the selected key (a JWK of another curve than the
      // algorithm's, for one): the signature cannot be right for it
      throw new Rejection(AuthFailure.BAD_SIGNATURE,
          "the token's signature cannot be checked with the key it names");
    }
  }

  @Override
  public void close() {
    keys.close();
  }

  @Override
  public String toString() {
    return "NimbusTokenVerifier[" + acceptedAlgorithms + "]";
  }

  /**
   * A library message made safe for a client's error body and a log line: printable ASCII,
   * at most 120 characters. Nimbus's parse messages name claims, never whole values.
   */
  private static String printable(String message) {
    if (message == null) {
      return "unknown problem";
    }
    String clean = message.replaceAll("[^\\x20-\\x7E]", "?");
    return clean.length() <= 120 ? clean : clean.substring(0, 117) + "...";
  }
}
