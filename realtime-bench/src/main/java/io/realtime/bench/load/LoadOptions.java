package io.realtime.bench.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One load run's settings, from {@code --name=value} flags over the scenario's presets. Every
 * run is bounded: connections, rate, payload, message count and time all have hard caps, and
 * {@link #maxRun()} ends the whole run (connect, warm-up, measure, drain, close) whatever
 * happens. Only loopback servers and source addresses (127.0.0.0/8) are accepted.
 *
 * @param url the server's base URL ({@code http://127.0.0.1:8080}; {@code ws://} is accepted)
 * @param apiUrl where the API calls go: {@code url}, or another node of a cluster (clients on
 *     one node, publishes through another)
 * @param secret HS256 secret the generator mints connection tokens with
 * @param rate messages per second; 0 publishes as fast as the server accepts them, with at most
 *     {@code maxInFlight} requests outstanding
 * @param maxUndelivered frames accepted but not yet delivered beyond which the publisher waits,
 *     or 0 for no such bound: publishing as fast as the clients take the frames, not only as fast
 *     as the server accepts them (a server that queues faster than its clients read would close
 *     them as slow consumers); for scenarios without churn, where every expected frame arrives
 * @param duration how long to publish (or, for {@code idle}, to hold) after the warm-up
 * @param bindAddresses local addresses connections are spread over, round robin; each gives
 *     its own ~28k ephemeral ports
 * @param serverPid the server's process id, or 0 to find it from the port in /proc/net/tcp
 * @param otherPids more processes whose CPU the report gives over the same window, by name
 *     (the API node and Redis of a cluster run)
 * @param churnPerSecond connections closed (and as many opened) per second in {@code churn}
 * @param gc run a full GC in the server (jcmd GC.run, or /metrics?gc=1 for node) before each
 *     memory sample
 * @param maxRun hard cap of the whole run
 * @param jsonOnly print only the JSON line
 * @param label free text copied into the report (which server, which configuration)
 */
public record LoadOptions(
    Scenario scenario,
    Protocol protocol,
    URI url,
    URI apiUrl,
    String apiKey,
    String secret,
    int connections,
    double rate,
    Duration duration,
    Duration warmup,
    int payloadBytes,
    List<InetAddress> bindAddresses,
    long serverPid,
    Map<String, Long> otherPids,
    int connectConcurrency,
    int maxInFlight,
    long maxUndelivered,
    int perUser,
    int subscribersPerTopic,
    double churnPerSecond,
    TokenPlacement auth,
    Duration drain,
    long maxMessages,
    long seed,
    boolean gc,
    Duration maxRun,
    boolean jsonOnly,
    String label) {

  public static final int MAX_CONNECTIONS = 200_000;
  public static final double MAX_RATE = 1_000_000;
  public static final Duration MAX_DURATION = Duration.ofMinutes(10);
  public static final Duration MAX_RUN = Duration.ofMinutes(15);
  /** What a run needs beyond warm-up, duration and drain: 5 s to connect, 10 s to close. */
  public static final Duration OVERHEAD = Duration.ofSeconds(15);
  public static final int MAX_PAYLOAD_BYTES = 60_000;
  public static final long MAX_MESSAGES = 50_000_000;

  /** Where a connection's token goes in the upgrade request (PROTOCOL.md section 1). */
  public enum TokenPlacement { HEADER, SUBPROTOCOL, QUERY }

  public LoadOptions {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(apiUrl, "apiUrl");
    otherPids = Collections.unmodifiableMap(new LinkedHashMap<>(otherPids));
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(secret, "secret");
    bindAddresses = List.copyOf(bindAddresses);
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(label, "label");
    List<String> problems = new ArrayList<>();
    check(problems, connections >= 1 && connections <= MAX_CONNECTIONS,
        "--connections must be 1.." + MAX_CONNECTIONS);
    check(problems, rate >= 0 && rate <= MAX_RATE, "--rate must be 0.." + (long) MAX_RATE);
    check(problems, positive(duration) && duration.compareTo(MAX_DURATION) <= 0,
        "--duration must be > 0 and <= " + MAX_DURATION.toSeconds() + "s");
    check(problems, !warmup.isNegative() && warmup.compareTo(MAX_DURATION) <= 0,
        "--warmup must be 0.." + MAX_DURATION.toSeconds() + "s");
    check(problems, payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD_BYTES,
        "--payload-bytes must be 0.." + MAX_PAYLOAD_BYTES);
    check(problems, !bindAddresses.isEmpty(), "--bind-addresses is empty");
    for (InetAddress a : bindAddresses) {
      check(problems, a.isLoopbackAddress() && a.getAddress().length == 4,
          "--bind-addresses must be IPv4 loopback (127.0.0.0/8): " + a.getHostAddress());
    }
    check(problems, serverPid >= 0, "--server-pid must be a process id");
    check(problems, connectConcurrency >= 1 && connectConcurrency <= 10_000,
        "--connect-concurrency must be 1..10000");
    check(problems, maxInFlight >= 1 && maxInFlight <= 10_000, "--max-in-flight must be 1..10000");
    check(problems, maxUndelivered >= 0, "--max-undelivered must be >= 0");
    check(problems, maxUndelivered == 0 || scenario != Scenario.CHURN,
        "--max-undelivered needs every expected frame to arrive: not with churn");
    check(problems, perUser >= 1 && perUser <= 16, "--per-user must be 1..16");
    check(problems, subscribersPerTopic >= 1 && subscribersPerTopic <= connections,
        "--subscribers-per-topic must be 1..connections");
    check(problems, churnPerSecond >= 0 && churnPerSecond <= 100_000,
        "--churn-per-second must be 0..100000");
    check(problems, !drain.isNegative() && drain.compareTo(Duration.ofMinutes(2)) <= 0,
        "--drain must be 0..120s");
    check(problems, maxMessages >= 1 && maxMessages <= MAX_MESSAGES,
        "--max-messages must be 1.." + MAX_MESSAGES);
    check(problems, positive(maxRun) && maxRun.compareTo(MAX_RUN) <= 0,
        "--max-run must be > 0 and <= " + MAX_RUN.toSeconds() + "s");
    Duration needed = warmup.plus(duration).plus(drain).plus(OVERHEAD);
    check(problems, maxRun.compareTo(needed) >= 0,
        "--max-run must leave room for warm-up + duration + drain + "
            + OVERHEAD.toSeconds() + "s: at least " + needed.toMillis() / 1000.0 + "s");
    check(problems, loopback(url), "--url must be http:// or ws:// on a loopback host: " + url);
    check(problems, loopback(apiUrl),
        "--api-url must be http:// or ws:// on a loopback host: " + apiUrl);
    for (long pid : otherPids.values()) {
      check(problems, pid > 0, "--other-pids must be name:pid with a process id");
    }
    check(problems, protocol == Protocol.REALTIME || auth == TokenPlacement.HEADER,
        "--auth applies to --protocol=realtime only");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Flags over the scenario's presets; throws {@link IllegalArgumentException} naming every problem. */
  public static LoadOptions parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        problems.add("expected --name=value, got '" + arg + "'");
        continue;
      }
      String name = arg.substring(2, eq);
      if (!FLAGS.containsKey(name)) {
        problems.add("unknown flag --" + name);
        continue;
      }
      flags.put(name, arg.substring(eq + 1));
    }
    for (String required : List.of("url", "api-key", "secret")) {
      if (!flags.containsKey(required)) {
        problems.add("--" + required + " is required");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    try {
      Scenario scenario = Scenario.of(flags.getOrDefault("scenario", "broadcast"));
      int connections = integer(flags, "connections", scenario.defaultConnections());
      Duration duration = seconds(flags, "duration", 10);
      Duration warmup = seconds(flags, "warmup", scenario.publishes() ? 3 : 0);
      Duration defaultMaxRun = duration.plus(warmup).plusSeconds(120);
      return new LoadOptions(
          scenario,
          Protocol.of(flags.getOrDefault("protocol", "realtime")),
          URI.create(flags.get("url")),
          URI.create(flags.getOrDefault("api-url", flags.get("url"))),
          flags.get("api-key"),
          flags.get("secret"),
          connections,
          number(flags, "rate", scenario.defaultRate()),
          duration,
          warmup,
          integer(flags, "payload-bytes", 64),
          addresses(flags.getOrDefault("bind-addresses", "127.0.0.1")),
          Long.parseLong(flags.getOrDefault("server-pid", "0")),
          pids(flags.getOrDefault("other-pids", "")),
          integer(flags, "connect-concurrency", 128),
          integer(flags, "max-in-flight", 64),
          Long.parseLong(flags.getOrDefault("max-undelivered", "0")),
          integer(flags, "per-user", 2),
          integer(flags, "subscribers-per-topic", Math.min(5, connections)),
          number(flags, "churn-per-second", Math.max(1, connections / 10.0)),
          TokenPlacement.valueOf(flags.getOrDefault("auth", "header").toUpperCase(Locale.ROOT)),
          seconds(flags, "drain", 5),
          Long.parseLong(flags.getOrDefault("max-messages", "10000000")),
          Long.parseLong(flags.getOrDefault("seed", "1")),
          Boolean.parseBoolean(flags.getOrDefault("gc", "true")),
          flags.containsKey("max-run") ? seconds(flags, "max-run", 0)
              : min(defaultMaxRun, MAX_RUN),
          Boolean.parseBoolean(flags.getOrDefault("json-only", "false")),
          flags.getOrDefault("label", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  /** Every flag with what it means, for {@code --help}. */
  static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("scenario", "idle | broadcast | users | topics | churn (default broadcast)");
    FLAGS.put("protocol", "realtime (realtime server, node ws) | socketio (default realtime)");
    FLAGS.put("url", "server base URL, loopback only: http://127.0.0.1:8080 (required)");
    FLAGS.put("api-key", "server API key for POST /api/v1/messages (required)");
    FLAGS.put("secret", "HS256 secret to mint connection tokens with (required)");
    FLAGS.put("connections", "connections to open (scenario preset)");
    FLAGS.put("rate", "messages per second; 0 = as fast as accepted (scenario preset)");
    FLAGS.put("duration", "seconds to publish, or to hold for idle (default 10)");
    FLAGS.put("warmup", "seconds of publishing before measuring (default 3; idle 0)");
    FLAGS.put("payload-bytes", "size of each message's payload object (default 64)");
    FLAGS.put("bind-addresses", "source addresses: 127.0.0.1,127.0.0.2 or 127.0.0.1-127.0.0.4");
    FLAGS.put("api-url", "where API calls go, loopback only (default: --url); another node of a"
        + " cluster");
    FLAGS.put("server-pid", "server process id for CPU and RSS (default: found from the port)");
    FLAGS.put("other-pids", "more processes to report CPU of: name:pid,name:pid (e.g. nodeB, redis)");
    FLAGS.put("connect-concurrency", "handshakes in flight at once (default 128)");
    FLAGS.put("max-in-flight", "publish requests in flight at once (default 64)");
    FLAGS.put("max-undelivered", "accepted frames not yet delivered before publishing waits;"
        + " 0 = no bound (default 0; not with churn)");
    FLAGS.put("per-user", "connections per user in the users scenario (default 2)");
    FLAGS.put("subscribers-per-topic", "subscribers per topic in the topics scenario (default 5)");
    FLAGS.put("churn-per-second", "connections replaced per second in churn (default N/10)");
    FLAGS.put("auth", "header | subprotocol | query: where the token goes (default header)");
    FLAGS.put("drain", "seconds to wait for outstanding deliveries after publishing (default 5)");
    FLAGS.put("max-messages", "cap on messages published (default 10000000)");
    FLAGS.put("seed", "random seed for target choice (default 1)");
    FLAGS.put("gc", "full GC in the server before memory samples, read 6 s later (default true)");
    FLAGS.put("max-run", "hard cap on the whole run in seconds (default warmup+duration+120)");
    FLAGS.put("json-only", "print only the JSON line (default false)");
    FLAGS.put("label", "free text copied into the report, e.g. the server's name");
  }

  static String usage() {
    StringBuilder out = new StringBuilder(
        "java -cp realtime-bench/target/benchmarks.jar io.realtime.bench.load.LoadMain [flags]\n\n");
    FLAGS.forEach((name, meaning) ->
        out.append(String.format(Locale.ROOT, "  --%-24s %s%n", name + "=", meaning)));
    out.append("\nScenarios:\n");
    for (Scenario s : Scenario.values()) {
      out.append(String.format(Locale.ROOT, "  %-10s %s (defaults: %d connections, rate %s)%n",
          s.wire(), s.description(), s.defaultConnections(),
          s.defaultRate() == 0 ? "max" : String.valueOf((long) s.defaultRate())));
    }
    return out.toString();
  }

  /** The upgrade URI for this run's protocol. */
  public URI webSocketUri() {
    String scheme = url.getScheme().equals("https") || url.getScheme().equals("wss") ? "wss" : "ws";
    return URI.create(scheme + "://" + url.getHost() + ":" + port() + protocol.path());
  }

  /** An address on the server the connections use ({@code /health}, {@code /metrics}). */
  public URI httpUri(String path) {
    return URI.create("http://" + url.getHost() + ":" + port() + path);
  }

  /** An address of the server API calls go to. */
  public URI apiUri(String path) {
    return URI.create("http://" + apiUrl.getHost() + ":" + port(apiUrl) + path);
  }

  public int port() {
    return port(url);
  }

  private static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) || "wss".equals(url.getScheme()) ? 443 : 80;
  }

  private static Map<String, Long> pids(String spec) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--other-pids wants name:pid, not " + p);
      }
      out.put(p.substring(0, colon), Long.parseLong(p.substring(colon + 1)));
    }
    return out;
  }

  private static boolean loopback(URI url) {
    if (url.getScheme() == null || url.getHost() == null
        || !List.of("http", "ws").contains(url.getScheme())) {
      return false;
    }
    try {
      return InetAddress.getByName(url.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static List<InetAddress> addresses(String spec) {
    List<InetAddress> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      if (dash < 0) {
        out.add(ipv4(p));
        continue;
      }
      byte[] from = ipv4(p.substring(0, dash)).getAddress();
      byte[] to = ipv4(p.substring(dash + 1)).getAddress();
      if (from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
        throw new IllegalArgumentException("a range may vary only the last octet: " + p);
      }
      int first = from[3] & 0xff;
      int last = to[3] & 0xff;
      for (int i = first; i <= last; i++) {
        out.add(ipv4(new byte[] {from[0], from[1], from[2], (byte) i}));
      }
    }
    return out;
  }

  private static InetAddress ipv4(String text) {
    String[] octets = text.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    byte[] raw = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(octets[i]);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      raw[i] = (byte) v;
    }
    return ipv4(raw);
  }

  private static InetAddress ipv4(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) { // only for a wrong length, which cannot happen here
      throw new IllegalArgumentException(e);
    }
  }

  private static int integer(Map<String, String> flags, String name, int fallback) {
    return flags.containsKey(name) ? Integer.parseInt(flags.get(name).trim()) : fallback;
  }

  private static double number(Map<String, String> flags, String name, double fallback) {
    return flags.containsKey(name) ? Double.parseDouble(flags.get(name).trim()) : fallback;
  }

  private static Duration seconds(Map<String, String> flags, String name, double fallback) {
    double s = number(flags, name, fallback);
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void check(List<String> problems, boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }
}
