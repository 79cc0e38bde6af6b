package io.realtime.bench.load;

import java.util.Locale;

/**
 * The named load presets. Each fixes how connections are grouped (which messages a connection
 * should receive) and where messages are published, and supplies defaults for the flags a run
 * does not give. A connection belongs to exactly one group; every published message targets
 * one group and carries that group's own sequence number, so each connection can tell a
 * missing or duplicated delivery from its group's sequence alone.
 */
public enum Scenario {
  /** Connect, hold, measure memory per connection; nothing is published. */
  IDLE(1_000, 0, "connect N authenticated connections, hold them, measure server memory per connection"),
  /** Every message goes to every connection (group 0). */
  BROADCAST(1_000, 10, "publish broadcasts at --rate; every connection receives every message"),
  /** Point-to-point: each message to one random user, who holds --per-user connections. */
  USERS(1_000, 0, "publish to random users (--per-user connections each), as fast as accepted by default"),
  /** Many topics with --subscribers-per-topic subscribers each; messages to random topics. */
  TOPICS(1_000, 1_000, "subscribe to many small topics, publish to random topics at --rate"),
  /** Broadcasts while --churn-per-second connections close and as many new ones open. */
  CHURN(500, 10, "broadcast at --rate while connections close and reopen continuously");

  private final int defaultConnections;
  private final double defaultRate;
  private final String description;

  Scenario(int defaultConnections, double defaultRate, String description) {
    this.defaultConnections = defaultConnections;
    this.defaultRate = defaultRate;
    this.description = description;
  }

  public int defaultConnections() {
    return defaultConnections;
  }

  /** Messages per second; 0 means as fast as the server accepts them (bounded in flight). */
  public double defaultRate() {
    return defaultRate;
  }

  public String description() {
    return description;
  }

  public boolean publishes() {
    return this != IDLE;
  }

  /** The flag value: {@code broadcast}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scenario of(String value) {
    for (Scenario s : values()) {
      if (s.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + value
        + "' (idle, broadcast, users, topics, churn)");
  }
}
