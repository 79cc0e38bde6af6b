package io.realtime.port.out;

/**
 * Verifies a bearer token and maps its claims to a principal.
 *
 * <p>Thread-safe. May block briefly on a first or refreshed key fetch (a JWKS), bounded by its
 * own timeouts; never throws on bad input: every refusal is a {@link TokenCheck.Invalid}.
 */
public interface TokenVerifier {
  TokenCheck verify(String token);
}
