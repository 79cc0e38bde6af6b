package io.realtime.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the core.
 *
 * @param heartbeat ping interval; a connection silent for two intervals is closed
 * @param clockSkew leeway on token expiry: an open connection closes with 4001 at exp + skew
 * @param clientRate client frames per second per connection
 * @param clientBurst client frames a connection may send at once before the rate applies
 */
public record CoreSettings(
    Duration heartbeat, Duration clockSkew, double clientRate, int clientBurst) {
  public CoreSettings {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive");
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must not be negative");
    }
    if (!(clientRate > 0) || clientBurst < 1) {
      throw new IllegalArgumentException("client rate must be > 0 and burst >= 1");
    }
  }

  /** PROTOCOL.md section 7's defaults: 30 s heartbeat, 5 s skew, 50 frames/s, burst 100. */
  public static CoreSettings defaults() {
    return new CoreSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 50, 100);
  }

  public CoreSettings withHeartbeat(Duration value) {
    return new CoreSettings(value, clockSkew, clientRate, clientBurst);
  }

  public CoreSettings withClockSkew(Duration value) {
    return new CoreSettings(heartbeat, value, clientRate, clientBurst);
  }

  public CoreSettings withClientRate(double rate, int burst) {
    return new CoreSettings(heartbeat, clockSkew, rate, burst);
  }
}
