package io.realtime.adapter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Keys generated for tests, and tokens signed with them (through Nimbus, not our issuer). */
final class TestTokens {
  /** Where every test's fixed clock stands: a whole second, as JWT times are. */
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private TestTokens() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(Curve curve, String kid) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sub}, {@code iat} = {@link #NOW}, {@code exp} an hour later. */
  static JWTClaimsSet.Builder claims(String sub) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
  }

  static String hs256(byte[] secret, JWTClaimsSet claims) {
    try {
      return sign(new MACSigner(secret), new JWSHeader(JWSAlgorithm.HS256), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed by {@code key} with {@code alg}; the header names the key's kid, if it has one. */
  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa)
          : new ECDSASigner((ECKey) key);
      return sign(signer, new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
    try {
      var jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  static Path writePem(Path dir, String name, PublicKey key) {
    return write(dir, name, pem("PUBLIC KEY", key.getEncoded()));
  }

  static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
