package io.realtime.adapter.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.Set;

/** The keys a verifier checks signatures with, and the algorithms they allow. Thread-safe. */
sealed interface VerificationKeys extends AutoCloseable permits StaticKey, RemoteJwks {
  /** The accepted algorithms; never {@code none}, never empty. */
  Set<JWSAlgorithm> algorithms();

  /** Picks the candidate keys for a token's header. */
  JWSKeySelector<SecurityContext> selector();

  /**
   * Whether a key set usable right now is held. Tells an unknown key id from having no keys at
   * all when Nimbus refuses a refetch because of its rate limit.
   */
  boolean holdsKeys();

  @Override
  void close();

  static VerificationKeys of(KeySource source) {
    if (source instanceof KeySource.Secret secret) {
      return StaticKey.of(secret);
    }
    if (source instanceof KeySource.PublicKeyPem pem) {
      return StaticKey.of(pem);
    }
    if (source instanceof KeySource.Jwks jwks) {
      return new RemoteJwks(jwks);
    }
    throw new AssertionError(source);
  }
}
