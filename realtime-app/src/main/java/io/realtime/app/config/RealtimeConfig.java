package io.realtime.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server's configuration (PROTOCOL.md section 7), parsed and validated once by
 * {@link ConfigParser}. Absent optional values are empty strings; accessors say so.
 */
public record RealtimeConfig(
    Transport transport,
    String host,
    int port,
    String jwtSecret,
    String jwtPublicKey,
    String jwksUrl,
    String jwtIssuer,
    String jwtAudience,
    Duration clockSkew,
    String rolesClaim,
    String permissionsClaim,
    String topicsClaim,
    String apiKey,
    List<String> allowedOrigins,
    int maxConnectionsPerUser,
    int maxConnections,
    double clientRate,
    int clientBurst,
    int historySize,
    Duration historyAge,
    Duration drainTimeout,
    int maxFrameBytes,
    int sendQueue,
    Duration heartbeat,
    BackplaneKind backplane,
    URI redisUrl) {

  public RealtimeConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Dev mode: no JWT key of any kind is configured. */
  public boolean devMode() {
    return jwtSecret.isEmpty() && jwtPublicKey.isEmpty() && jwksUrl.isEmpty();
  }

  public Optional<Path> publicKeyPath() {
    return jwtPublicKey.isEmpty() ? Optional.empty() : Optional.of(Path.of(jwtPublicKey));
  }

  /** The embedded defaults, as if nothing were set. */
  public static RealtimeConfig defaults() {
    return ConfigParser.parse(java.util.Map.of(), new String[0]);
  }

  /** A copy listening on {@code newPort} (0: any free port), for tests and embedding. */
  public RealtimeConfig withPort(int newPort) {
    return new RealtimeConfig(transport, host, newPort, jwtSecret, jwtPublicKey, jwksUrl,
        jwtIssuer, jwtAudience, clockSkew, rolesClaim, permissionsClaim, topicsClaim, apiKey,
        allowedOrigins, maxConnectionsPerUser, maxConnections, clientRate, clientBurst, historySize, historyAge, drainTimeout,
        maxFrameBytes, sendQueue, heartbeat, backplane, redisUrl);
  }

  @Override
  public String toString() { // never print secrets
    return "RealtimeConfig[transport=" + transport + ", host=" + host + ", port=" + port
        + ", devMode=" + devMode() + ", apiKey=" + (apiKey.isEmpty() ? "none" : "<set>")
        + ", backplane=" + backplane + "]";
  }
}
