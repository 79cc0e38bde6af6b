package io.realtime.app.wiring;

import dagger.Module;
import dagger.Provides;
import io.realtime.adapter.jwt.ClaimMapping;
import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.JwtSettings;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.NimbusTokenVerifier;
import io.realtime.adapter.jwt.TokenClaims;
import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.port.out.TokenVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import javax.inject.Singleton;

/** Token verification on Nimbus, from whichever key is configured; dev mode's ephemeral key. */
@Module
public interface JwtModule {
  @Provides
  @Singleton
  static KeySource keySource(RealtimeConfig config) {
    if (config.devMode()) { // a fresh random key per start: dev tokens die with the process
      return new KeySource.Secret(HmacTokenIssuer.randomSecret());
    }
    if (!config.jwtSecret().isEmpty()) {
      return new KeySource.Secret(config.jwtSecret().getBytes(StandardCharsets.UTF_8));
    }
    if (!config.jwtPublicKey().isEmpty()) {
      return new KeySource.PublicKeyPem(Path.of(config.jwtPublicKey()));
    }
    return KeySource.Jwks.of(URI.create(config.jwksUrl()));
  }

  @Provides
  @Singleton
  static NimbusTokenVerifier nimbus(RealtimeConfig config, KeySource key) {
    JwtSettings settings = JwtSettings.of(key)
        .withClockSkew(config.settings().clockSkew())
        .withClaims(ClaimMapping.DEFAULTS.withRoles(config.rolesClaim())
            .withPermissions(config.permissionsClaim()).withTopics(config.topicsClaim()));
    if (!config.jwtIssuer().isEmpty()) {
      settings = settings.withIssuer(config.jwtIssuer());
    }
    if (!config.jwtAudience().isEmpty()) {
      settings = settings.withAudience(config.jwtAudience());
    }
    return new NimbusTokenVerifier(settings);
  }

  @Provides
  static TokenVerifier verifier(NimbusTokenVerifier nimbus) {
    return nimbus;
  }

  /** Mints dev-mode tokens; refuses outside dev mode (the web adapter never calls it then). */
  @Provides
  @Singleton
  static DevTokenMinter devTokens(RealtimeConfig config, KeySource key) {
    if (!config.devMode() || !(key instanceof KeySource.Secret secret)) {
      return request -> {
        throw new IllegalStateException("dev mode is off");
      };
    }
    HmacTokenIssuer issuer = new HmacTokenIssuer(secret);
    return request -> issuer.issue(TokenClaims.of(request.subject())
        .withRoles(new HashSet<>(request.roles()))
        .withPermissions(new HashSet<>(request.permissions()))
        .withTopics(request.topics())
        .withTtl(request.ttl()));
  }
}
