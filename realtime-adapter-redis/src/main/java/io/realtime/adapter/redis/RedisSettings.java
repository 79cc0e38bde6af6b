package io.realtime.adapter.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the Redis engine needs to know, with defaults that match PROTOCOL.md.
 *
 * @param url {@code redis://[:password@]host:port[/db]}, or {@code rediss://} for TLS
 * @param prefix first part of every key and channel, so several clusters can share one Redis
 * @param nodeId this node's name in channels, heartbeats and presence entries
 * @param historySize messages kept per topic; 0 keeps none (positions are still assigned)
 * @param historyAge how long a message stays replayable; zero keeps none
 * @param historyMetaTtl how long a topic's epoch and offset outlive its last publish; at least
 *     {@code historyAge}, so an idle topic keeps its epoch and a {@code since} at its head
 *     still recovers
 * @param commandTimeout upper bound of every command (at most 2 s: a refused publish must be
 *     answered within 2 s)
 * @param connectTimeout TCP connect bound
 * @param reconnectMin lower bound of the jittered reconnect delay
 * @param reconnectMax upper bound of the jittered reconnect delay
 * @param requestQueueSize commands in flight per connection before new ones are refused
 * @param probeInterval how often the node publishes a probe to its own subscription
 * @param probeTimeout how long a probe may take to come back before the subscription
 *     connection is restarted
 * @param presenceTtl how long a presence entry lives without a refresh by its node
 * @param presenceRefresh how often a node refreshes its own presence entries
 * @param heartbeatInterval how often a node announces itself
 * @param nodeTtl how long after its last heartbeat a node counts as dead
 * @param idempotencyTtl how long the first answer to an {@code Idempotency-Key} is kept
 * @param dispatchThreads threads that hand received messages to the listener
 * @param dispatchQueue messages received and not yet handed over, over all topics, before
 *     further ones are dropped (a dropped topic message is refilled from the stream)
 */
public record RedisSettings(
    String url, String prefix, String nodeId,
    int historySize, Duration historyAge, Duration historyMetaTtl,
    Duration commandTimeout, Duration connectTimeout,
    Duration reconnectMin, Duration reconnectMax, int requestQueueSize,
    Duration probeInterval, Duration probeTimeout,
    Duration presenceTtl, Duration presenceRefresh,
    Duration heartbeatInterval, Duration nodeTtl,
    Duration idempotencyTtl,
    int dispatchThreads, int dispatchQueue) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
  static final Duration MAX_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  public RedisSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(nodeId, "nodeId");
    checkUrl(url);
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix must be 1-64 of letters, digits and _ . : -");
    }
    if (!NAME.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("node id must be 1-64 of letters, digits and _ . -");
    }
    if (historySize < 0) {
      throw new IllegalArgumentException("history size < 0");
    }
    for (Duration d : new Duration[] {historyAge, historyMetaTtl, commandTimeout, connectTimeout,
        reconnectMin, reconnectMax, probeInterval, probeTimeout, presenceTtl, presenceRefresh,
        heartbeatInterval, nodeTtl, idempotencyTtl}) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration: " + d);
      }
    }
    if (commandTimeout.isZero() || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
      throw new IllegalArgumentException("command timeout must be in (0, 2s]");
    }
    if (historyMetaTtl.compareTo(historyAge) < 0) {
      throw new IllegalArgumentException("history meta TTL shorter than history age");
    }
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnect max < min");
    }
    if (presenceRefresh.isZero() || presenceRefresh.compareTo(presenceTtl) >= 0) {
      throw new IllegalArgumentException("presence refresh must be shorter than its TTL");
    }
    if (heartbeatInterval.isZero() || heartbeatInterval.compareTo(nodeTtl) >= 0) {
      throw new IllegalArgumentException("heartbeat interval must be shorter than node TTL");
    }
    if (probeInterval.isZero() || probeTimeout.isZero()) {
      throw new IllegalArgumentException("probe interval and timeout must be positive");
    }
    if (requestQueueSize < 1 || dispatchThreads < 1 || dispatchQueue < 1) {
      throw new IllegalArgumentException("queue sizes and thread counts must be positive");
    }
  }

  /** Defaults for {@code url}: prefix {@code realtime}, a random node id, PROTOCOL.md bounds. */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** Whether any message is kept for replay. */
  public boolean historyEnabled() {
    return historySize > 0 && !historyAge.isZero();
  }

  /** A random node id, such as {@code n-k3x9q2}. */
  public static String randomNodeId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("n-");
    for (int i = 0; i < 8; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static void checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Redis URL (redis://[:password@]host:port[/db])");
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("Redis URL has no host");
    }
  }

  /** The URL without its password, for logs. */
  public String redactedUrl() {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }

  @Override
  public String toString() {
    return "RedisSettings[url=" + redactedUrl() + ", prefix=" + prefix + ", nodeId=" + nodeId
        + ", historySize=" + historySize + ", historyAge=" + historyAge + "]";
  }

  /** Fluent construction; every setter has a PROTOCOL.md default. */
  public static final class Builder {
    private final String url;
    private String prefix = "realtime";
    private String nodeId = randomNodeId();
    private int historySize = 1000;
    private Duration historyAge = Duration.ofSeconds(300);
    private Duration historyMetaTtl = Duration.ofDays(1);
    private Duration commandTimeout = Duration.ofMillis(1500);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectMin = Duration.ofMillis(50);
    private Duration reconnectMax = Duration.ofSeconds(2);
    private int requestQueueSize = 10_000;
    private Duration probeInterval = Duration.ofSeconds(1);
    private Duration probeTimeout = Duration.ofSeconds(3);
    private Duration presenceTtl = Duration.ofSeconds(20);
    private Duration presenceRefresh = Duration.ofSeconds(5);
    private Duration heartbeatInterval = Duration.ofSeconds(3);
    private Duration nodeTtl = Duration.ofSeconds(7);
    private Duration idempotencyTtl = Duration.ofMinutes(5);
    private int dispatchThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int dispatchQueue = 100_000;

    private Builder(String url) {
      this.url = url;
    }

    public Builder prefix(String v) {
      prefix = v;
      return this;
    }

    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    public Builder history(int size, Duration age) {
      historySize = size;
      historyAge = age;
      if (historyMetaTtl.compareTo(age) < 0) {
        historyMetaTtl = age;
      }
      return this;
    }

    public Builder historyMetaTtl(Duration v) {
      historyMetaTtl = v;
      return this;
    }

    public Builder commandTimeout(Duration v) {
      commandTimeout = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder reconnectDelay(Duration min, Duration max) {
      reconnectMin = min;
      reconnectMax = max;
      return this;
    }

    public Builder requestQueueSize(int v) {
      requestQueueSize = v;
      return this;
    }

    public Builder probe(Duration interval, Duration timeout) {
      probeInterval = interval;
      probeTimeout = timeout;
      return this;
    }

    public Builder presence(Duration ttl, Duration refresh) {
      presenceTtl = ttl;
      presenceRefresh = refresh;
      return this;
    }

    public Builder heartbeat(Duration interval, Duration ttl) {
      heartbeatInterval = interval;
      nodeTtl = ttl;
      return this;
    }

    public Builder idempotencyTtl(Duration v) {
      idempotencyTtl = v;
      return this;
    }

    public Builder dispatch(int threads, int queue) {
      dispatchThreads = threads;
      dispatchQueue = queue;
      return this;
    }

    public RedisSettings build() {
      return new RedisSettings(url, prefix, nodeId, historySize, historyAge, historyMetaTtl,
          commandTimeout, connectTimeout, reconnectMin, reconnectMax, requestQueueSize,
          probeInterval, probeTimeout, presenceTtl, presenceRefresh, heartbeatInterval, nodeTtl,
          idempotencyTtl, dispatchThreads, dispatchQueue);
    }
  }
}
