package io.realtime.adapter.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * One configured key: an HS256 secret, or an RSA or EC public key read from PEM. Immutable.
 *
 * <p>The key is offered for every token whose algorithm it allows, whatever the token's
 * {@code kid}: with a single configured key there is nothing to choose between, and identity
 * providers put a {@code kid} in every header.
 */
record StaticKey(Key key, Set<JWSAlgorithm> algorithms) implements VerificationKeys {
  /** Below this, RSA keys are refused at startup (NIST SP 800-131A). */
  static final int MIN_RSA_BITS = 2048;

  private static final Set<JWSAlgorithm> RSA = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

  StaticKey {
    Objects.requireNonNull(key, "key");
    algorithms = Set.copyOf(algorithms);
  }

  static StaticKey of(KeySource.Secret secret) {
    return new StaticKey(new SecretKeySpec(secret.bytes(), "HmacSHA256"), Set.of(JWSAlgorithm.HS256));
  }

  static StaticKey of(KeySource.PublicKeyPem pem) {
    PublicKey key = PemReader.publicKey(pem.path());
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException("the RSA public key in " + pem.path() + " has " + bits
            + " bits; at least " + MIN_RSA_BITS + " are required");
      }
      return new StaticKey(rsa, RSA);
    }
    if (key instanceof ECPublicKey ec) {
      return new StaticKey(ec, Set.of(ecAlgorithm(ec, pem)));
    }
    throw new IllegalArgumentException("the public key in " + pem.path() + " is "
        + key.getAlgorithm() + "; only RSA and EC (P-256, P-384, P-521) keys are supported");
  }

  private static JWSAlgorithm ecAlgorithm(ECPublicKey key, KeySource.PublicKeyPem pem) {
    Curve curve = Curve.forECParameterSpec(key.getParams());
    if (Curve.P_256.equals(curve)) {
      return JWSAlgorithm.ES256;
    }
    if (Curve.P_384.equals(curve)) {
      return JWSAlgorithm.ES384;
    }
    if (Curve.P_521.equals(curve)) {
      return JWSAlgorithm.ES512;
    }
    throw new IllegalArgumentException("the EC public key in " + pem.path()
        + " is not on P-256, P-384 or P-521");
  }

  @Override
  public JWSKeySelector<SecurityContext> selector() {
    // the verifier checks the algorithm first; checking again here keeps this safe on its own
    List<Key> candidates = List.of(key);
    return (header, context) -> algorithms.contains(header.getAlgorithm()) ? candidates : List.of();
  }

  @Override
  public boolean holdsKeys() {
    return true;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "StaticKey" + algorithms; // never the key material
  }
}
