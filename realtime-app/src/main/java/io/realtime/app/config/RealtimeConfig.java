package io.realtime.app.config;

import io.realtime.port.in.RealtimeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's configuration (PROTOCOL.md section 7), parsed and validated once by
 * {@link ConfigParser}: the node's limits as one {@link RealtimeSettings}, plus what only the
 * server process chooses (transport, keys, backplane). Absent optional values are empty
 * strings; accessors say so.
 */
public record RealtimeConfig(
    Transport transport,
    RealtimeSettings settings,
    String jwtSecret,
    String jwtPublicKey,
    String jwksUrl,
    String jwtIssuer,
    String jwtAudience,
    String rolesClaim,
    String permissionsClaim,
    String topicsClaim,
    BackplaneKind backplane,
    URI redisUrl,
    String redisPrefix,
    String nodeId) {

  public RealtimeConfig {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(redisPrefix, "redisPrefix");
    Objects.requireNonNull(nodeId, "nodeId");
    if (settings.devMode() != noKey(jwtSecret, jwtPublicKey, jwksUrl)) {
      throw new IllegalArgumentException("dev mode is exactly: no JWT key configured");
    }
  }

  /** Dev mode: no JWT key of any kind is configured. */
  public boolean devMode() {
    return settings.devMode();
  }

  public Optional<Path> publicKeyPath() {
    return jwtPublicKey.isEmpty() ? Optional.empty() : Optional.of(Path.of(jwtPublicKey));
  }

  /** The embedded defaults, as if nothing were set. */
  public static RealtimeConfig defaults() {
    return ConfigParser.parse(java.util.Map.of(), new String[0]);
  }

  /** A copy with other limits, for tests and embedding. */
  public RealtimeConfig withSettings(RealtimeSettings value) {
    return new RealtimeConfig(transport, value, jwtSecret, jwtPublicKey, jwksUrl, jwtIssuer,
        jwtAudience, rolesClaim, permissionsClaim, topicsClaim, backplane, redisUrl, redisPrefix,
        nodeId);
  }

  /** A copy listening on {@code newPort} (0: any free port). */
  public RealtimeConfig withPort(int newPort) {
    return withSettings(settings.withPort(newPort));
  }

  static boolean noKey(String secret, String publicKey, String jwks) {
    return secret.isEmpty() && publicKey.isEmpty() && jwks.isEmpty();
  }

  @Override
  public String toString() { // never print secrets
    return "RealtimeConfig[transport=" + transport + ", settings=" + settings + ", backplane="
        + backplane + ", nodeId=" + nodeId + "]";
  }
}
