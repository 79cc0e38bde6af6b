package io.realtime.port.in;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every tunable of one node (PROTOCOL.md section 7), set once: the core, the web adapter, the
 * frame codec and the token verifier all read their limits from this one value, so no limit is
 * configured twice (the transports' idle timeout follows the core's heartbeat, the core's
 * recovery buffer follows the send queue, the codec's string limit follows the frame limit).
 *
 * <p>Immutable; {@code with…} methods return a changed copy and validate it.
 *
 * @param host listen address ({@code 0.0.0.0} for all interfaces)
 * @param port listen port; {@code 0} picks a free one
 * @param allowedOrigins browser origins allowed to connect ({@code https://app.example.com});
 *     empty allows every origin; requests without {@code Origin} (non-browsers) always pass
 * @param apiKey the server API's credential; {@code ""} for none (then only admin JWTs)
 * @param devMode serve the demo page and mint tokens at {@code POST /dev/token}
 * @param maxConnectionsPerUser connections one user may hold on this node (429 beyond)
 * @param maxConnections connections this node accepts (503 {@code overloaded} beyond)
 * @param maxFrameBytes largest client text frame; larger ones close with 1009
 * @param sendQueue outbound frames buffered per connection before it is a slow consumer (1013)
 * @param heartbeat ping interval; a connection silent for two intervals is closed
 * @param clockSkew leeway on token {@code exp}/{@code nbf}: at the handshake, and for closing
 *     an open connection with 4001 at {@code exp} + skew
 * @param clientRate client frames per second per connection
 * @param clientBurst client frames a connection may send at once before the rate applies
 * @param historySize messages kept per topic for {@code since}; 0 keeps none
 * @param historyAge how long a topic message is kept for {@code since}
 * @param drainTimeout how long a graceful shutdown may take
 * @param maxRequestBytes largest server API request body (413 beyond)
 * @param upgradeRate WebSocket upgrades per second this node starts checking (503
 *     {@code overloaded} beyond), so a reconnect storm is paced instead of burning CPU on
 *     thousands of simultaneous token checks
 * @param upgradeBurst upgrades the node takes at once before the rate applies
 */
public record RealtimeSettings(
    String host,
    int port,
    Set<String> allowedOrigins,
    String apiKey,
    boolean devMode,
    int maxConnectionsPerUser,
    int maxConnections,
    int maxFrameBytes,
    int sendQueue,
    Duration heartbeat,
    Duration clockSkew,
    double clientRate,
    int clientBurst,
    int historySize,
    Duration historyAge,
    Duration drainTimeout,
    int maxRequestBytes,
    double upgradeRate,
    int upgradeBurst) {
  public RealtimeSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    allowedOrigins = Set.copyOf(allowedOrigins);
    Objects.requireNonNull(apiKey, "apiKey");
    atLeast(1, maxConnectionsPerUser, "maxConnectionsPerUser");
    atLeast(1, maxConnections, "maxConnections");
    atLeast(256, maxFrameBytes, "maxFrameBytes");
    atLeast(1, sendQueue, "sendQueue");
    positive(heartbeat, "heartbeat");
    notNegative(clockSkew, "clockSkew");
    if (!(clientRate > 0) || Double.isInfinite(clientRate)) {
      throw new IllegalArgumentException("clientRate must be a positive number");
    }
    atLeast(1, clientBurst, "clientBurst");
    atLeast(0, historySize, "historySize");
    notNegative(historyAge, "historyAge");
    notNegative(drainTimeout, "drainTimeout");
    atLeast(1, maxRequestBytes, "maxRequestBytes");
    if (!(upgradeRate > 0) || Double.isInfinite(upgradeRate)) {
      throw new IllegalArgumentException("upgradeRate must be a positive number");
    }
    atLeast(1, upgradeBurst, "upgradeBurst");
  }

  /**
   * PROTOCOL.md section 7's defaults: port 8080 on all interfaces, no API key, no dev mode, 16
   * connections per user, 100000 per node, 64 KiB frames, 1024 queued frames, 30 s heartbeat,
   * 5 s skew, 50 frames/s with a burst of 100, 1000 messages and 300 s of history per topic,
   * 20 s to drain, 1 MiB API bodies, 500 upgrades/s with a burst of 1000.
   */
  public static RealtimeSettings defaults() {
    return new RealtimeSettings("0.0.0.0", 8080, Set.of(), "", false, 16, 100_000, 65_536, 1024,
        Duration.ofSeconds(30), Duration.ofSeconds(5), 50, 100, 1000, Duration.ofSeconds(300),
        Duration.ofSeconds(20), 1 << 20, 500, 1000);
  }

  public RealtimeSettings withHost(String value) {
    return edit(e -> e.host = value);
  }

  public RealtimeSettings withPort(int value) {
    return edit(e -> e.port = value);
  }

  public RealtimeSettings withAllowedOrigins(Set<String> value) {
    return edit(e -> e.allowedOrigins = value);
  }

  public RealtimeSettings withApiKey(String value) {
    return edit(e -> e.apiKey = value);
  }

  public RealtimeSettings withDevMode(boolean value) {
    return edit(e -> e.devMode = value);
  }

  public RealtimeSettings withMaxConnectionsPerUser(int value) {
    return edit(e -> e.maxConnectionsPerUser = value);
  }

  public RealtimeSettings withMaxConnections(int value) {
    return edit(e -> e.maxConnections = value);
  }

  public RealtimeSettings withMaxFrameBytes(int value) {
    return edit(e -> e.maxFrameBytes = value);
  }

  public RealtimeSettings withSendQueue(int value) {
    return edit(e -> e.sendQueue = value);
  }

  public RealtimeSettings withHeartbeat(Duration value) {
    return edit(e -> e.heartbeat = value);
  }

  public RealtimeSettings withClockSkew(Duration value) {
    return edit(e -> e.clockSkew = value);
  }

  public RealtimeSettings withClientRate(double rate, int burst) {
    return edit(e -> {
      e.clientRate = rate;
      e.clientBurst = burst;
    });
  }

  public RealtimeSettings withHistory(int size, Duration age) {
    return edit(e -> {
      e.historySize = size;
      e.historyAge = age;
    });
  }

  public RealtimeSettings withDrainTimeout(Duration value) {
    return edit(e -> e.drainTimeout = value);
  }

  public RealtimeSettings withMaxRequestBytes(int value) {
    return edit(e -> e.maxRequestBytes = value);
  }

  public RealtimeSettings withUpgradeRate(double rate, int burst) {
    return edit(e -> {
      e.upgradeRate = rate;
      e.upgradeBurst = burst;
    });
  }

  /** The transports' idle timeout: generous, since the heartbeat closes silent peers first. */
  public Duration idleTimeout() {
    return heartbeat.multipliedBy(3);
  }

  /** Whether the history keeps anything, so that {@code since} can be served. */
  public boolean historyEnabled() {
    return historySize > 0 && !historyAge.isZero();
  }

  @Override
  public String toString() { // never print the API key
    return "RealtimeSettings[host=" + host + ", port=" + port + ", allowedOrigins="
        + allowedOrigins + ", apiKey=" + (apiKey.isEmpty() ? "none" : "<redacted>")
        + ", devMode=" + devMode + ", maxConnectionsPerUser=" + maxConnectionsPerUser
        + ", maxConnections=" + maxConnections + ", maxFrameBytes=" + maxFrameBytes
        + ", sendQueue=" + sendQueue + ", heartbeat=" + heartbeat + ", clockSkew=" + clockSkew
        + ", clientRate=" + clientRate + ", clientBurst=" + clientBurst + ", historySize="
        + historySize + ", historyAge=" + historyAge + ", drainTimeout=" + drainTimeout
        + ", maxRequestBytes=" + maxRequestBytes + ", upgradeRate=" + upgradeRate
        + ", upgradeBurst=" + upgradeBurst + "]";
  }

  private RealtimeSettings edit(Consumer<Editor> change) {
    Editor e = new Editor(this);
    change.accept(e);
    return e.build();
  }

  private static void atLeast(int min, int value, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + " (got " + value + ")");
    }
  }

  private static void positive(Duration value, String name) {
    notNegative(value, name);
    if (value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static void notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  /** A mutable copy, so that each {@code with…} names only what it changes. */
  private static final class Editor {
    String host;
    int port;
    Set<String> allowedOrigins;
    String apiKey;
    boolean devMode;
    int maxConnectionsPerUser;
    int maxConnections;
    int maxFrameBytes;
    int sendQueue;
    Duration heartbeat;
    Duration clockSkew;
    double clientRate;
    int clientBurst;
    int historySize;
    Duration historyAge;
    Duration drainTimeout;
    int maxRequestBytes;
    double upgradeRate;
    int upgradeBurst;

    Editor(RealtimeSettings s) {
      host = s.host;
      port = s.port;
      allowedOrigins = s.allowedOrigins;
      apiKey = s.apiKey;
      devMode = s.devMode;
      maxConnectionsPerUser = s.maxConnectionsPerUser;
      maxConnections = s.maxConnections;
      maxFrameBytes = s.maxFrameBytes;
      sendQueue = s.sendQueue;
      heartbeat = s.heartbeat;
      clockSkew = s.clockSkew;
      clientRate = s.clientRate;
      clientBurst = s.clientBurst;
      historySize = s.historySize;
      historyAge = s.historyAge;
      drainTimeout = s.drainTimeout;
      maxRequestBytes = s.maxRequestBytes;
      upgradeRate = s.upgradeRate;
      upgradeBurst = s.upgradeBurst;
    }

    RealtimeSettings build() {
      return new RealtimeSettings(host, port, allowedOrigins, apiKey, devMode,
          maxConnectionsPerUser, maxConnections, maxFrameBytes, sendQueue, heartbeat, clockSkew,
          clientRate, clientBurst, historySize, historyAge, drainTimeout, maxRequestBytes,
          upgradeRate, upgradeBurst);
    }
  }
}
