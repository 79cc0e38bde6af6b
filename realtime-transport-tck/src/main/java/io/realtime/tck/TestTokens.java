package io.realtime.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWTs for the kit: mints them and verifies them, with the claims of PROTOCOL.md
 * section 2 ({@code sub}, {@code roles}, {@code permissions}, {@code topics}, {@code exp},
 * {@code nbf}). A small stand-in for the real verifier, so the kit needs no JWT library.
 * Thread-safe.
 */
public final class TestTokens implements TokenVerifier {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String HEADER =
      B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] secret;
  private final Clock clock;
  private final Duration skew;

  public TestTokens(byte[] secret, Clock clock, Duration skew) {
    this.secret = secret.clone();
    this.clock = clock;
    this.skew = skew;
  }

  /** Starts a token for {@code sub}, valid for an hour unless told otherwise. */
  public Builder user(String sub) {
    return new Builder(sub);
  }

  @Override
  public TokenCheck verify(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return new TokenCheck.Invalid(AuthFailure.MALFORMED);
    }
    JsonNode header;
    JsonNode claims;
    try {
      header = Json.MAPPER.readTree(B64D.decode(parts[0]));
      claims = Json.MAPPER.readTree(B64D.decode(parts[1]));
    } catch (Exception e) {
      return new TokenCheck.Invalid(AuthFailure.MALFORMED);
    }
    if (!"HS256".equals(header.path("alg").asText())) {
      return new TokenCheck.Invalid(AuthFailure.ALGORITHM_NOT_ALLOWED);
    }
    byte[] expected = sign(parts[0] + "." + parts[1]);
    byte[] given;
    try {
      given = B64D.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return new TokenCheck.Invalid(AuthFailure.MALFORMED);
    }
    if (!MessageDigest.isEqual(expected, given)) {
      return new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE);
    }
    String sub = claims.path("sub").asText("");
    if (sub.isBlank()) {
      return new TokenCheck.Invalid(AuthFailure.NO_SUBJECT);
    }
    Instant now = clock.instant();
    Instant exp = Principal.NEVER;
    if (claims.has("exp")) {
      exp = Instant.ofEpochSecond(claims.get("exp").asLong());
      if (!now.isBefore(exp.plus(skew))) {
        return new TokenCheck.Invalid(AuthFailure.EXPIRED);
      }
    }
    if (claims.has("nbf")
        && now.plus(skew).isBefore(Instant.ofEpochSecond(claims.get("nbf").asLong()))) {
      return new TokenCheck.Invalid(AuthFailure.NOT_YET_VALID);
    }
    List<TopicPattern> topics = new ArrayList<>();
    try {
      for (String t : strings(claims.path("topics"))) {
        topics.add(new TopicPattern(t));
      }
    } catch (IllegalArgumentException e) {
      return new TokenCheck.Invalid(AuthFailure.MALFORMED, "bad topic pattern");
    }
    return new TokenCheck.Valid(new Principal(new UserId(sub), strings(claims.path("roles")),
        strings(claims.path("permissions")), topics, exp, Map.of()));
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private byte[] sign(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The claims of one token; {@link #sign()} makes it. */
  public final class Builder {
    private final ObjectNode claims = Json.object();

    private Builder(String sub) {
      claims.put("sub", sub);
      claims.put("exp", clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
    }

    public Builder roles(String... roles) {
      return array("roles", roles);
    }

    public Builder permissions(String... permissions) {
      return array("permissions", permissions);
    }

    public Builder topics(String... patterns) {
      return array("topics", patterns);
    }

    /** Expires {@code ttl} from now (JWT precision: whole seconds). */
    public Builder expiresIn(Duration ttl) {
      claims.put("exp", clock.instant().plus(ttl).getEpochSecond());
      return this;
    }

    public Builder expiresAt(Instant exp) {
      claims.put("exp", exp.getEpochSecond());
      return this;
    }

    public Builder notBefore(Instant nbf) {
      claims.put("nbf", nbf.getEpochSecond());
      return this;
    }

    public String sign() {
      String body = B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
      String input = HEADER + "." + body;
      return input + "." + B64.encodeToString(TestTokens.this.sign(input));
    }

    /** A token whose signature is wrong. */
    public String forged() {
      String good = sign();
      return good.substring(0, good.lastIndexOf('.') + 1) + B64.encodeToString(new byte[32]);
    }

    private Builder array(String name, String... values) {
      ArrayNode a = claims.putArray(name);
      for (String v : values) {
        a.add(v);
      }
      return this;
    }
  }
}
