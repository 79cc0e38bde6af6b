package io.realtime.port.out;

/**
 * Why a token was refused: the {@code reason} of {@code realtime_auth_failures_total} and the
 * subject of the 401 body's message. Every constant answers 401 {@code unauthorized}.
 */
public enum AuthFailure {
  /** No token was given. */
  MISSING("missing", "no token was given"),
  /** Not a JWT: wrong structure, bad encoding, or claims of the wrong type. */
  MALFORMED("malformed", "the token is not a well-formed JWT"),
  /** The signature does not verify. */
  BAD_SIGNATURE("bad_signature", "the token's signature does not verify"),
  /** The algorithm is not the configured key's ({@code none} never is). */
  ALGORITHM_NOT_ALLOWED("algorithm_not_allowed", "the token's algorithm is not accepted"),
  /** {@code exp} is past, beyond the clock skew. */
  EXPIRED("expired", "the token has expired"),
  /** {@code nbf} is in the future, beyond the clock skew. */
  NOT_YET_VALID("not_yet_valid", "the token is not valid yet"),
  /** {@code iss} is not the configured issuer. */
  WRONG_ISSUER("wrong_issuer", "the token's issuer is not accepted"),
  /** {@code aud} does not name the configured audience. */
  WRONG_AUDIENCE("wrong_audience", "the token's audience is not accepted"),
  /** No {@code sub}. */
  NO_SUBJECT("no_subject", "the token has no subject (sub)"),
  /** The {@code kid} names no known key, even after a refetch. */
  UNKNOWN_KEY("unknown_key", "the token's signing key is unknown"),
  /** The host's user module refused the user, such as a disabled account. */
  USER_REJECTED("user_rejected", "the user is not allowed to connect"),
  /** Keys could not be obtained (the JWKS endpoint is down and nothing is cached). */
  KEYS_UNAVAILABLE("keys_unavailable", "the signing keys are unavailable");

  private final String tag;
  private final String description;

  AuthFailure(String tag, String description) {
    this.tag = tag;
    this.description = description;
  }

  /** The metric tag and log value. */
  public String tag() {
    return tag;
  }

  /** A sentence for the client, naming what was wrong with its token (never the token). */
  public String description() {
    return description;
  }
}
