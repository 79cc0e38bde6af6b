package io.realtime.adapter.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {
  private final KeySource key = new KeySource.PublicKeyPem(Path.of("key.pem"));

  @Test
  void defaultsFollowTheProtocol() {
    var settings = JwtSettings.of(key);

    assertEquals(Duration.ofSeconds(5), settings.clockSkew());
    assertEquals(Optional.empty(), settings.requiredIssuer());
    assertEquals(Optional.empty(), settings.requiredAudience());
    assertEquals(new ClaimMapping("roles", "permissions", "topics", List.of()),
        settings.claims());
  }

  @Test
  void issuerAndAudienceAreOptional() {
    var settings = JwtSettings.of(key).withIssuer("https://idp").withAudience("realtime");

    assertEquals(Optional.of("https://idp"), settings.requiredIssuer());
    assertEquals(Optional.of("realtime"), settings.requiredAudience());
  }

  @Test
  void impossibleSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> JwtSettings.of(key).withClockSkew(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> JwtSettings.of(key).withIssuer(" "));
    assertThrows(IllegalArgumentException.class, () -> JwtSettings.of(key).withAudience(" "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ".roles", "realm_access.", "a..b"})
  void claimNamesMustBeNamesOrPaths(String name) {
    assertThrows(IllegalArgumentException.class, () -> ClaimMapping.DEFAULTS.withRoles(name));
    assertThrows(IllegalArgumentException.class,
        () -> ClaimMapping.DEFAULTS.withAttributes(List.of(name)));
  }

  @Test
  void jwksDefaults() {
    var jwks = KeySource.Jwks.of(java.net.URI.create("https://idp.example/certs"));

    assertEquals(Duration.ofMinutes(5), jwks.cacheTtl());
    assertEquals(Duration.ofSeconds(30), jwks.refreshRateLimit());
    assertEquals(Duration.ofSeconds(2), jwks.httpTimeout());
    assertEquals(Duration.ofHours(1), jwks.outageTolerance());
  }
}
