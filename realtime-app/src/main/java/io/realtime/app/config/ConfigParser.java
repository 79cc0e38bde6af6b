package io.realtime.app.config;

import io.realtime.port.in.RealtimeSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link RealtimeConfig} from environment variables and the matching flags
 * ({@code REALTIME_PORT=9000} is {@code --port=9000}); a flag wins over the variable. Every
 * problem is collected and reported at once, naming the variable and its flag.
 */
public final class ConfigParser {
  private static final String PREFIX = "REALTIME_";
  /** Where a server listens when no host is given. */
  public static final String ALL_INTERFACES = "0.0.0.0";
  /** Where a dev-mode server listens when no host is given: it mints tokens for anyone. */
  public static final String DEV_HOST = "127.0.0.1";

  /** Every variable with its default ("" for none) and meaning, as in PROTOCOL.md section 7. */
  static final Map<String, String[]> VARIABLES = new LinkedHashMap<>();

  static {
    define("TRANSPORT", "jetty", "jetty or undertow");
    define("HOST", "", "listen address (default 0.0.0.0; in dev mode 127.0.0.1 unless given)");
    define("PORT", "8080", "listen port (0 picks a free port and logs it)");
    define("JWT_SECRET", "", "HS256 shared secret (at least 32 bytes)");
    define("JWT_PUBLIC_KEY", "", "path to a PEM public key (RS256 / ES256)");
    define("JWT_JWKS_URL", "", "JWKS endpoint of the identity provider");
    define("JWT_ISSUER", "", "required iss, when set");
    define("JWT_AUDIENCE", "", "required aud, when set");
    define("JWT_CLOCK_SKEW_SECONDS", "5", "leeway on exp / nbf");
    define("JWT_ROLES_CLAIM", "roles", "claim holding roles (dotted path, array or spaces)");
    define("JWT_PERMISSIONS_CLAIM", "permissions", "claim holding permissions (e.g. scope)");
    define("JWT_TOPICS_CLAIM", "topics", "claim holding allowed topic patterns");
    define("API_KEY", "", "credential of the server API");
    define("ALLOWED_ORIGINS", "", "comma list of allowed Origin values (empty: any)");
    define("MAX_CONNECTIONS_PER_USER", "16", "connections one user may hold on a node");
    define("MAX_CONNECTIONS", "100000", "global cap on this node");
    define("CLIENT_RATE", "50", "client frames per second per connection");
    define("CLIENT_BURST", "100", "client frames allowed at once");
    define("UPGRADE_RATE", "500", "WebSocket upgrades per second this node checks (503 beyond)");
    define("UPGRADE_BURST", "1000", "upgrades allowed at once before the rate applies");
    define("HISTORY_SIZE", "1000", "messages kept per topic for since (0: no history)");
    define("HISTORY_SECONDS", "300", "how long messages are kept for since");
    define("DRAIN_SECONDS", "20", "how long a graceful shutdown may take");
    define("MAX_FRAME_BYTES", "65536", "largest client frame");
    define("SEND_QUEUE", "1024", "outbound frames buffered per connection");
    define("HEARTBEAT_SECONDS", "30", "ping interval; 2 silent intervals close");
    define("BACKPLANE", "memory", "memory (single node) or redis");
    define("REDIS_URL", "redis://localhost:6379", "used by the redis backplane");
    define("REDIS_PREFIX", "realtime", "prefix of every Redis key and channel");
    define("NODE_ID", "", "this node's name in the cluster (default: random at start-up)");
  }

  private ConfigParser() {}

  private static void define(String name, String defaultValue, String meaning) {
    VARIABLES.put(PREFIX + name, new String[] {defaultValue, meaning});
  }

  /** The flag for a variable: {@code REALTIME_JWT_SECRET} is {@code --jwt-secret}. */
  public static String flagOf(String variable) {
    return "--" + variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** One line per variable, for {@code --help}. */
  public static String usage() {
    StringBuilder out = new StringBuilder("Configuration (environment variable or flag):\n");
    VARIABLES.forEach((name, d) -> out.append(String.format("  %-36s %-34s %s%s%n", name,
        flagOf(name) + "=...", d[1], d[0].isEmpty() ? "" : " (default " + d[0] + ")")));
    return out.toString();
  }

  /** Parses and validates; throws {@link ConfigException} listing every problem. */
  public static RealtimeConfig parse(Map<String, String> env, String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    VARIABLES.forEach((name, d) -> values.put(name, env.getOrDefault(name, d[0]).trim()));
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        problems.add("unknown argument '" + arg + "': flags look like --port=9000 (see --help)");
        continue;
      }
      String flag = arg.substring(0, arg.indexOf('='));
      String variable = PREFIX + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
      if (!VARIABLES.containsKey(variable)) {
        problems.add("unknown flag " + flag + " (see --help)");
        continue;
      }
      values.put(variable, arg.substring(arg.indexOf('=') + 1).trim());
    }
    Reader r = new Reader(values, problems);
    Transport transport = r.choice("TRANSPORT", Transport.class);
    String givenHost = r.text("HOST");
    int port = r.integer("PORT", 0, 65535);
    String secret = r.text("JWT_SECRET");
    String publicKey = r.text("JWT_PUBLIC_KEY");
    String jwks = r.text("JWT_JWKS_URL");
    int configuredKeys = (secret.isEmpty() ? 0 : 1) + (publicKey.isEmpty() ? 0 : 1)
        + (jwks.isEmpty() ? 0 : 1);
    if (configuredKeys > 1) {
      problems.add("set only one of REALTIME_JWT_SECRET, REALTIME_JWT_PUBLIC_KEY and "
          + "REALTIME_JWT_JWKS_URL (--jwt-secret, --jwt-public-key, --jwt-jwks-url)");
    }
    int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (!secret.isEmpty() && secretBytes < 32) {
      problems.add(r.name("JWT_SECRET") + " must be at least 32 bytes for HS256 (got "
          + secretBytes + ")");
    }
    if (!publicKey.isEmpty() && !Files.isReadable(Path.of(publicKey))) {
      problems.add(r.name("JWT_PUBLIC_KEY") + " names no readable file: " + publicKey);
    }
    if (!jwks.isEmpty()) {
      r.uri("JWT_JWKS_URL", "http", "https");
    }
    String origins = r.text("ALLOWED_ORIGINS");
    List<String> allowedOrigins = origins.isEmpty() ? List.of()
        : Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    String apiKey = r.text("API_KEY");
    int perUser = r.integer("MAX_CONNECTIONS_PER_USER", 1, Integer.MAX_VALUE);
    int maxConnections = r.integer("MAX_CONNECTIONS", 1, Integer.MAX_VALUE);
    int maxFrameBytes = r.integer("MAX_FRAME_BYTES", 256, 64 * 1024 * 1024);
    int sendQueue = r.integer("SEND_QUEUE", 1, 1_000_000);
    int heartbeat = r.integer("HEARTBEAT_SECONDS", 1, 3600);
    int skew = r.integer("JWT_CLOCK_SKEW_SECONDS", 0, 3600);
    double rate = r.decimal("CLIENT_RATE");
    int burst = r.integer("CLIENT_BURST", 1, Integer.MAX_VALUE);
    double upgradeRate = r.decimal("UPGRADE_RATE");
    int upgradeBurst = r.integer("UPGRADE_BURST", 1, Integer.MAX_VALUE);
    int historySize = r.integer("HISTORY_SIZE", 0, 1_000_000);
    int historySeconds = r.integer("HISTORY_SECONDS", 0, 86_400 * 30);
    int drainSeconds = r.integer("DRAIN_SECONDS", 0, 3600);
    BackplaneKind backplane = orDefault(r.choice("BACKPLANE", BackplaneKind.class),
        BackplaneKind.MEMORY);
    URI redisUrl = orDefault(r.uri("REDIS_URL", "redis", "rediss"),
        URI.create("redis://localhost:6379"));
    String redisPrefix = r.text("REDIS_PREFIX");
    if (!redisPrefix.matches("[A-Za-z0-9_.:\\-]{1,64}")) {
      problems.add(r.name("REDIS_PREFIX") + " must be 1-64 of letters, digits and _ . : -");
    }
    String nodeId = r.text("NODE_ID");
    if (nodeId.isEmpty()) {
      nodeId = io.realtime.adapter.redis.RedisSettings.randomNodeId();
    } else if (!nodeId.matches("[A-Za-z0-9_.\\-]{1,64}")) {
      problems.add(r.name("NODE_ID") + " must be 1-64 of letters, digits and _ . -");
    }
    if (!problems.isEmpty()) { // every value below is in range
      throw new ConfigException(problems);
    }
    boolean devMode = RealtimeConfig.noKey(secret, publicKey, jwks);
    // a server that mints tokens for anyone listens on loopback unless told otherwise
    String host = !givenHost.isEmpty() ? givenHost : devMode ? DEV_HOST : ALL_INTERFACES;
    RealtimeSettings settings = RealtimeSettings.defaults()
        .withHost(host)
        .withPort(port)
        .withAllowedOrigins(new HashSet<>(allowedOrigins))
        .withApiKey(apiKey)
        .withDevMode(devMode)
        .withMaxConnectionsPerUser(perUser)
        .withMaxConnections(maxConnections)
        .withMaxFrameBytes(maxFrameBytes)
        .withSendQueue(sendQueue)
        .withHeartbeat(Duration.ofSeconds(heartbeat))
        .withClockSkew(Duration.ofSeconds(skew))
        .withClientRate(rate, burst)
        .withUpgradeRate(upgradeRate, upgradeBurst)
        .withHistory(historySize, Duration.ofSeconds(historySeconds))
        .withDrainTimeout(Duration.ofSeconds(drainSeconds));
    return new RealtimeConfig(
        transport == null ? Transport.JETTY : transport,
        settings,
        secret,
        publicKey,
        jwks,
        r.text("JWT_ISSUER"),
        r.text("JWT_AUDIENCE"),
        r.text("JWT_ROLES_CLAIM"),
        r.text("JWT_PERMISSIONS_CLAIM"),
        r.text("JWT_TOPICS_CLAIM"),
        backplane,
        redisUrl,
        redisPrefix,
        nodeId);
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  /** Typed reads that record a problem instead of throwing. */
  private static final class Reader {
    private final Map<String, String> values;
    private final List<String> problems;

    Reader(Map<String, String> values, List<String> problems) {
      this.values = values;
      this.problems = problems;
    }

    String name(String key) {
      return PREFIX + key + " (" + flagOf(PREFIX + key) + ")";
    }

    String text(String key) {
      return values.get(PREFIX + key);
    }

    int integer(String key, int min, int max) {
      String raw = text(key);
      try {
        int v = Integer.parseInt(raw);
        if (v < min || v > max) {
          problems.add(name(key) + " must be between " + min + " and " + max + " (got " + raw
              + ")");
        }
        return v;
      } catch (NumberFormatException e) {
        problems.add(name(key) + " must be a whole number (got '" + raw + "')");
        return Math.max(min, 1);
      }
    }

    double decimal(String key) {
      String raw = text(key);
      try {
        double v = Double.parseDouble(raw);
        if (!(v > 0) || Double.isInfinite(v)) {
          problems.add(name(key) + " must be a positive number (got " + raw + ")");
          return 1;
        }
        return v;
      } catch (NumberFormatException e) {
        problems.add(name(key) + " must be a number (got '" + raw + "')");
        return 1;
      }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
      String raw = text(key);
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(raw)) {
          return e;
        }
      }
      problems.add(name(key) + " must be one of "
          + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
              .toList() + " (got '" + raw + "')");
      return null;
    }

    URI uri(String key, String... schemes) {
      String raw = text(key);
      try {
        URI uri = new URI(raw);
        if (uri.getScheme() == null || !Arrays.asList(schemes).contains(uri.getScheme())
            || uri.getHost() == null) {
          problems.add(name(key) + " must be a " + String.join(" or ", schemes) + " URL (got '"
              + raw + "')");
          return null;
        }
        return uri;
      } catch (java.net.URISyntaxException e) {
        problems.add(name(key) + " is not a URL: " + raw);
        return null;
      }
    }
  }
}
