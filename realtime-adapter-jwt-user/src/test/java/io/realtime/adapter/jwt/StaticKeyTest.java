package io.realtime.adapter.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key selector on its own: safe even without the verifier's algorithm check in front. */
class StaticKeyTest {
  private final StaticKey secret = StaticKey.of(
      new KeySource.Secret("static-key-test-secret-0123456789ab".getBytes(StandardCharsets.UTF_8)));

  @Test
  void offersTheKeyForItsAlgorithmWhateverTheKid() throws Exception {
    var header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("any").build();

    assertEquals(1, secret.selector().selectJWSKeys(header, null).size());
  }

  @Test
  void offersNothingForAnotherAlgorithm() throws Exception {
    assertTrue(secret.selector().selectJWSKeys(new JWSHeader(JWSAlgorithm.RS256), null).isEmpty());
    assertTrue(secret.selector().selectJWSKeys(new JWSHeader(JWSAlgorithm.HS512), null).isEmpty());
  }

  @Test
  void toStringNamesAlgorithmsNotKeyMaterial() {
    assertEquals("StaticKey[HS256]", secret.toString());
  }
}
