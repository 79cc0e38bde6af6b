package io.realtime.bench;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.JwtSettings;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.NimbusTokenVerifier;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.port.out.TokenCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token verifications per second on one thread: what a handshake (or a {@code refresh}) pays
 * for the token, per algorithm, with a realistic token (roles, permissions, topics). The key
 * comes as the server would get it: a secret, or a PEM file. RS256 and ES256 tokens are signed
 * with the JDK's own {@link Signature}, so the figure measures verification only.
 *
 * <pre>java -jar realtime-bench/target/benchmarks.jar TokenVerificationBench -f 1 -wi 2 -w 2s -i 3 -r 2s -t 1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TokenVerificationBench {
  @Param({"HS256", "RS256", "ES256"})
  public String algorithm;

  private NimbusTokenVerifier verifier;
  private String token;
  private Path pem;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException, IOException {
    Instant exp = Instant.now().plus(Duration.ofDays(1));
    switch (algorithm) {
      case "HS256" -> {
        var secret = new KeySource.Secret(HmacTokenIssuer.randomSecret());
        verifier = new NimbusTokenVerifier(JwtSettings.of(secret));
        token = new HmacTokenIssuer(secret).issue(TokenClaims.of("bench-user")
            .withRoles(Set.of("admin")).withPermissions(Set.of("realtime:publish"))
            .withTopics(List.of("order:*", "user:{sub}")).withTtl(Duration.ofDays(1)));
      }
      case "RS256" -> {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        useAsymmetric(generator.generateKeyPair(), "SHA256withRSA", exp);
      }
      case "ES256" -> {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        // JWS wants the raw r||s form, not DER: the JDK signs that directly
        useAsymmetric(generator.generateKeyPair(), "SHA256withECDSAinP1363Format", exp);
      }
      default -> throw new IllegalArgumentException(algorithm);
    }
    TokenCheck check = verifier.verify(token);
    if (!(check instanceof TokenCheck.Valid)) {
      throw new IllegalStateException("benchmark token refused: " + check);
    }
  }

  private void useAsymmetric(KeyPair keys, String signatureAlgorithm, Instant exp)
      throws GeneralSecurityException, IOException {
    pem = Files.createTempFile("bench-", ".pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n", StandardCharsets.US_ASCII);
    verifier = new NimbusTokenVerifier(JwtSettings.of(new KeySource.PublicKeyPem(pem)));
    token = sign(keys.getPrivate(), signatureAlgorithm, exp);
  }

  private String sign(PrivateKey key, String signatureAlgorithm, Instant exp)
      throws GeneralSecurityException {
    var base64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}";
    String claims = "{\"sub\":\"bench-user\",\"exp\":" + exp.getEpochSecond()
        + ",\"roles\":[\"admin\"],\"permissions\":[\"realtime:publish\"],"
        + "\"topics\":[\"order:*\",\"user:{sub}\"]}";
    String input = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signature = Signature.getInstance(signatureAlgorithm);
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + base64.encodeToString(signature.sign());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    verifier.close();
    if (pem != null) {
      Files.deleteIfExists(pem);
    }
  }

  @Benchmark
  public TokenCheck verify() {
    return verifier.verify(token);
  }
}
