package io.realtime.adapter.jwt;

import static io.realtime.adapter.jwt.TestTokens.NOW;
import static io.realtime.adapter.jwt.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RS* and ES* with a PEM public key, and the attacks that target such a setup. */
class PublicKeyPemTest {
  private static RSAKey rsa;
  private static ECKey p256;

  @TempDir Path dir;
  private final List<NimbusTokenVerifier> verifiers = new ArrayList<>();

  @BeforeAll
  static void generateKeys() {
    rsa = TestTokens.rsa("rsa-1");
    p256 = TestTokens.ec(Curve.P_256, "ec-1");
  }

  @AfterEach
  void closeVerifiers() {
    verifiers.forEach(NimbusTokenVerifier::close);
  }

  private NimbusTokenVerifier verifier(Path pem) {
    var verifier = new NimbusTokenVerifier(JwtSettings.of(new KeySource.PublicKeyPem(pem)),
        Clock.fixed(NOW, ZoneOffset.UTC));
    verifiers.add(verifier);
    return verifier;
  }

  private Path rsaPem() throws JOSEException {
    return TestTokens.writePem(dir, "rsa.pem", rsa.toRSAPublicKey());
  }

  private Path ecPem() throws JOSEException {
    return TestTokens.writePem(dir, "ec.pem", p256.toECPublicKey());
  }

  private static AuthFailure reason(TokenCheck check) {
    return assertInstanceOf(TokenCheck.Invalid.class, check).reason();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
  void rsaKeyAcceptsTheRsaFamily(String alg) throws JOSEException {
    String token = TestTokens.sign(rsa, JWSAlgorithm.parse(alg), claims("alice").build());

    var check = assertInstanceOf(TokenCheck.Valid.class, verifier(rsaPem()).verify(token));
    assertEquals(new UserId("alice"), check.principal().user());
  }

  @Test
  void rsaTokenFromAnotherKeyIsBadSignature() throws JOSEException {
    String token = TestTokens.sign(TestTokens.rsa("other"), JWSAlgorithm.RS256,
        claims("alice").build());

    assertEquals(AuthFailure.BAD_SIGNATURE, reason(verifier(rsaPem()).verify(token)));
  }

  @Test
  void ecTokenIsRefusedByAnRsaKey() throws JOSEException {
    String token = TestTokens.sign(p256, JWSAlgorithm.ES256, claims("alice").build());

    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, reason(verifier(rsaPem()).verify(token)));
  }

  @Test
  void p256KeyAcceptsEs256() throws JOSEException {
    String token = TestTokens.sign(p256, JWSAlgorithm.ES256, claims("alice").build());

    assertInstanceOf(TokenCheck.Valid.class, verifier(ecPem()).verify(token));
    assertEquals(List.of("ES256"), List.copyOf(verifier(ecPem()).algorithms()));
  }

  @Test
  void es256FromAnotherKeyIsBadSignature() throws JOSEException {
    String token = TestTokens.sign(TestTokens.ec(Curve.P_256, "other"), JWSAlgorithm.ES256,
        claims("alice").build());

    assertEquals(AuthFailure.BAD_SIGNATURE, reason(verifier(ecPem()).verify(token)));
  }

  @Test
  void p384KeyAcceptsOnlyEs384() throws JOSEException {
    ECKey p384 = TestTokens.ec(Curve.P_384, "p384");
    Path pem = TestTokens.writePem(dir, "p384.pem", p384.toECPublicKey());

    assertInstanceOf(TokenCheck.Valid.class, verifier(pem).verify(
        TestTokens.sign(p384, JWSAlgorithm.ES384, claims("alice").build())));
    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, reason(verifier(pem).verify(
        TestTokens.sign(p256, JWSAlgorithm.ES256, claims("alice").build()))));
  }

  @Test
  void rsaTokenIsRefusedByAnEcKey() throws JOSEException {
    String token = TestTokens.sign(rsa, JWSAlgorithm.RS256, claims("alice").build());

    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, reason(verifier(ecPem()).verify(token)));
  }

  /** The classic confusion: HMAC keyed with the public key, which anyone can read. */
  @Test
  void hs256SignedWithThePublicKeyDerIsRefused() throws JOSEException {
    byte[] publicDer = rsa.toRSAPublicKey().getEncoded();
    String token = TestTokens.sign(new MACSigner(publicDer), new JWSHeader(JWSAlgorithm.HS256),
        claims("mallory").build());

    var refused = assertInstanceOf(TokenCheck.Invalid.class, verifier(rsaPem()).verify(token));
    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, refused.reason());
    assertTrue(refused.detail().contains("HS256"), refused.detail());
  }

  @Test
  void hs256SignedWithThePemTextIsRefused() throws Exception {
    Path pem = rsaPem();
    byte[] pemText = Files.readAllBytes(pem);
    String token = TestTokens.sign(new MACSigner(pemText), new JWSHeader(JWSAlgorithm.HS256),
        claims("mallory").build());

    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, reason(verifier(pem).verify(token)));
  }

  @Test
  void hs256SignedWithTheEcPublicKeyIsRefused() throws Exception {
    String token = TestTokens.sign(new MACSigner(Files.readAllBytes(ecPem())),
        new JWSHeader(JWSAlgorithm.HS256), claims("mallory").build());

    assertEquals(AuthFailure.ALGORITHM_NOT_ALLOWED, reason(verifier(ecPem()).verify(token)));
  }

  @Test
  void pemWithTextAroundTheBlockIsRead() throws JOSEException {
    String pem = "subject=CN=test\n\n"
        + TestTokens.pem("PUBLIC KEY", rsa.toRSAPublicKey().getEncoded()).replace("\n", "\r\n");
    Path file = TestTokens.write(dir, "crlf.pem", pem);
    String token = TestTokens.sign(rsa, JWSAlgorithm.RS256, claims("alice").build());

    assertInstanceOf(TokenCheck.Valid.class, verifier(file).verify(token));
  }

  /** A certificate PEM, made by the JDK's keytool so the test needs no certificate library. */
  @Test
  void certificatePemIsRead() throws Exception {
    Path store = dir.resolve("store.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process = new ProcessBuilder(keytool, "-genkeypair", "-keyalg", "EC",
        "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-alias", "idp",
        "-dname", "CN=idp", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    Certificate certificate = keys.getCertificate("idp");
    PrivateKey privateKey = (PrivateKey) keys.getKey("idp", "changeit".toCharArray());
    Path pem = TestTokens.write(dir, "cert.pem",
        TestTokens.pem("CERTIFICATE", certificate.getEncoded()));
    ECKey signing = new ECKey.Builder(Curve.P_256, (ECPublicKey) certificate.getPublicKey())
        .privateKey((ECPrivateKey) privateKey).build();

    String token = TestTokens.sign(signing, JWSAlgorithm.ES256, claims("alice").build());

    assertInstanceOf(TokenCheck.Valid.class, verifier(pem).verify(token));
    assertEquals(AuthFailure.BAD_SIGNATURE, reason(verifier(pem).verify(
        TestTokens.sign(p256, JWSAlgorithm.ES256, claims("alice").build()))));
  }

  @Test
  void missingFileIsRefusedNamingIt() {
    Path missing = dir.resolve("nope.pem");

    var error = assertThrows(IllegalArgumentException.class, () -> verifier(missing));
    assertTrue(error.getMessage().contains("nope.pem"), error.getMessage());
  }

  @Test
  void privateKeyPemIsRefusedWithoutQuotingIt() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String body = TestTokens.pem("PRIVATE KEY", generator.generateKeyPair().getPrivate()
        .getEncoded());
    Path file = TestTokens.write(dir, "private.pem", body);

    var error = assertThrows(IllegalArgumentException.class, () -> verifier(file));
    assertTrue(error.getMessage().contains("private key"), error.getMessage());
    assertFalse(error.getMessage().contains(body.substring(40, 80)), error.getMessage());
  }

  @Test
  void pkcs1RsaPublicKeyIsRefusedWithAHint() {
    Path file = TestTokens.write(dir, "pkcs1.pem", TestTokens.pem("RSA PUBLIC KEY", new byte[64]));

    var error = assertThrows(IllegalArgumentException.class, () -> verifier(file));
    assertTrue(error.getMessage().contains("openssl"), error.getMessage());
  }

  @Test
  void fileWithoutAPemBlockIsRefused() {
    Path file = TestTokens.write(dir, "empty.pem", "not a key\n");

    assertThrows(IllegalArgumentException.class, () -> verifier(file));
  }

  @Test
  void publicKeyBlockThatIsNoKeyIsRefused() {
    Path file = TestTokens.write(dir, "junk.pem", TestTokens.pem("PUBLIC KEY", new byte[100]));

    assertThrows(IllegalArgumentException.class, () -> verifier(file));
  }

  @Test
  void weakRsaKeyIsRefused() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    Path file = TestTokens.writePem(dir, "weak.pem", generator.generateKeyPair().getPublic());

    var error = assertThrows(IllegalArgumentException.class, () -> verifier(file));
    assertTrue(error.getMessage().contains("1024 bits"), error.getMessage());
  }

  @Test
  void unsupportedKeyTypeIsRefused() throws Exception {
    Path file = TestTokens.writePem(dir, "ed.pem",
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());

    assertThrows(IllegalArgumentException.class, () -> verifier(file));
  }
}
