package io.realtime.adapter.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What both transports are configured with (PROTOCOL.md section 7).
 *
 * @param host listen address ({@code 0.0.0.0} for all interfaces)
 * @param port listen port; {@code 0} picks a free one ({@link RealtimeServer#port()} tells it)
 * @param allowedOrigins browser origins allowed to connect, such as
 *     {@code https://app.example.com}; empty allows every origin. Requests without an
 *     {@code Origin} header (non-browser clients) always pass
 * @param maxConnectionsPerUser connections one user may hold on this node (429 beyond)
 * @param maxConnections connections this node accepts (503 {@code overloaded} beyond)
 * @param maxFrameBytes largest client text message; larger ones close the socket with 1009
 * @param sendQueue outbound frames buffered per connection before it is a slow consumer
 * @param heartbeat the core's ping interval; the transports' idle timeout is three of them
 * @param apiKey the server API's credential; {@code ""} for none (then only admin JWTs)
 * @param devMode serve the demo page and {@code POST /dev/token}, and accept any verified
 *     token on the server API
 * @param drainTimeout how long a graceful shutdown may take
 * @param maxRequestBytes largest HTTP request body the server API reads (413 beyond)
 */
public record WebSettings(
    String host,
    int port,
    Set<String> allowedOrigins,
    int maxConnectionsPerUser,
    int maxConnections,
    int maxFrameBytes,
    int sendQueue,
    Duration heartbeat,
    String apiKey,
    boolean devMode,
    Duration drainTimeout,
    int maxRequestBytes) {
  public WebSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    allowedOrigins = allowedOrigins.stream()
        .map(WebSettings::normalizeOrigin)
        .filter(o -> !o.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
    positive(maxConnectionsPerUser, "maxConnectionsPerUser");
    positive(maxConnections, "maxConnections");
    positive(maxFrameBytes, "maxFrameBytes");
    positive(sendQueue, "sendQueue");
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive");
    }
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must not be negative");
    }
    positive(maxRequestBytes, "maxRequestBytes");
  }

  /** PROTOCOL.md section 7's defaults: port 8080 on all interfaces, no API key, no dev mode. */
  public static WebSettings defaults() {
    return new WebSettings("0.0.0.0", 8080, Set.of(), 16, 100_000, 65_536, 1024,
        Duration.ofSeconds(30), "", false, Duration.ofSeconds(20), 1 << 20);
  }

  public WebSettings withHost(String value) {
    return new WebSettings(value, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withPort(int value) {
    return new WebSettings(host, value, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withAllowedOrigins(Set<String> value) {
    return new WebSettings(host, port, value, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withMaxConnectionsPerUser(int value) {
    return new WebSettings(host, port, allowedOrigins, value, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withMaxConnections(int value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, value,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withMaxFrameBytes(int value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        value, sendQueue, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withSendQueue(int value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, value, heartbeat, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withHeartbeat(Duration value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, value, apiKey, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withApiKey(String value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, value, devMode, drainTimeout, maxRequestBytes);
  }

  public WebSettings withDevMode(boolean value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, value, drainTimeout, maxRequestBytes);
  }

  public WebSettings withDrainTimeout(Duration value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, value, maxRequestBytes);
  }

  public WebSettings withMaxRequestBytes(int value) {
    return new WebSettings(host, port, allowedOrigins, maxConnectionsPerUser, maxConnections,
        maxFrameBytes, sendQueue, heartbeat, apiKey, devMode, drainTimeout, value);
  }

  /** The transports' idle timeout: generous, since the core's heartbeat closes silent peers. */
  public Duration idleTimeout() {
    return heartbeat.multipliedBy(3);
  }

  /** Whether a request's {@code Origin} may connect ({@code ""}: no header, always allowed). */
  public boolean allowsOrigin(String origin) {
    if (origin.isEmpty() || allowedOrigins.isEmpty() || allowedOrigins.contains("*")) {
      return true;
    }
    return allowedOrigins.contains(normalizeOrigin(origin));
  }

  @Override
  public String toString() { // never print the API key
    return "WebSettings[host=" + host + ", port=" + port + ", allowedOrigins=" + allowedOrigins
        + ", maxConnectionsPerUser=" + maxConnectionsPerUser + ", maxConnections="
        + maxConnections + ", maxFrameBytes=" + maxFrameBytes + ", sendQueue=" + sendQueue
        + ", heartbeat=" + heartbeat + ", apiKey=" + (apiKey.isEmpty() ? "none" : "<redacted>")
        + ", devMode=" + devMode + ", drainTimeout=" + drainTimeout + ", maxRequestBytes="
        + maxRequestBytes + "]";
  }

  /** Lower case without a trailing slash: {@code HTTPS://App.example.com/} matches too. */
  static String normalizeOrigin(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    while (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    return o;
  }

  private static void positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1");
    }
  }
}
