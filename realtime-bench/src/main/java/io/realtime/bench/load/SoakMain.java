package io.realtime.bench.load;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded soak of one running server (started by {@code realtime-bench/soak.sh}): holds
 * {@code --connections} connections (two per user, four roles, twenty topics), closes 10% of
 * them every minute and opens as many, publishes through the API to every route kind
 * (broadcast, user, role, connection, topic) at {@code --rate}, and every minute abuses a few
 * connections of its own (a 400-ping flood, junk frames, an oversized frame, a reader that
 * stops reading). Every {@code --sample-seconds} it runs a full GC in the server
 * ({@code jcmd GC.run}) and records heap after it, RSS, threads, file descriptors and the
 * registry ({@code /api/v1/stats}). At the end it closes everything and checks that the
 * registry, threads and descriptors are back at their baseline, and that no connection missed
 * a message it was owed: one open (and subscribed) before the publish and not closed by us
 * within 5 s after its 202. Abusers are outside the ledger.
 *
 * <p>Not a test and not in {@code mvn verify}: run by hand. Loopback only.
 */
public final class SoakMain {
  private static final Pattern SEQ = Pattern.compile("\"type\":\"soak\".*\"seq\":(\\d+)");
  private static final Pattern CONNECTION_ID = Pattern.compile("\"connectionId\":\"([^\"]+)\"");
  private static final int USERS_PER_CONNECTION = 2;
  private static final int ROLES = 4;
  private static final int TOPICS = 20;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final URI base;
  private final String apiKey;
  private final HmacTokenIssuer issuer;
  private final long pid;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final SplittableRandom random = new SplittableRandom(42);
  private final List<Conn> all = new CopyOnWriteArrayList<>();
  private final Map<Integer, Conn> slots = new ConcurrentHashMap<>();
  private final List<Sent> ledger = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong();
  private final AtomicInteger publishFailures = new AtomicInteger();
  private final Map<String, AtomicInteger> abuseCloses = new ConcurrentHashMap<>();

  private SoakMain(URI base, String apiKey, String secret, long pid) {
    this.base = base;
    this.apiKey = apiKey;
    this.issuer = new HmacTokenIssuer(KeySource.Secret.utf8(secret));
    this.pid = pid;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("flags look like --name=value: " + a);
      }
      flags.put(a.substring(2, eq), a.substring(eq + 1));
    }
    URI base = URI.create(flags.getOrDefault("url", "http://127.0.0.1:8080"));
    if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
      throw new IllegalArgumentException("loopback servers only: " + base);
    }
    int connections = Math.min(20_000,
        Integer.parseInt(flags.getOrDefault("connections", "1000")));
    double rate = Math.min(2000, Double.parseDouble(flags.getOrDefault("rate", "20")));
    Duration duration = Duration.ofSeconds(Math.min(3600,
        Long.parseLong(flags.getOrDefault("seconds", "600"))));
    Duration sampleEvery = Duration.ofSeconds(
        Long.parseLong(flags.getOrDefault("sample-seconds", "30")));
    SoakMain soak = new SoakMain(base, flags.get("api-key"), flags.get("secret"),
        Long.parseLong(flags.getOrDefault("server-pid", "0")));
    Duration settle = Duration.ofSeconds(Math.min(600,
        Long.parseLong(flags.getOrDefault("settle-seconds", "70"))));
    System.exit(soak.run(connections, rate, duration, sampleEvery, settle,
        flags.getOrDefault("label", "")));
  }

  private int run(int connections, double rate, Duration duration, Duration sampleEvery,
      Duration settle, String label) throws Exception {
    Sample baseline = sample("baseline");
    log("soak.start label=%s connections=%d rate=%.0f seconds=%d pid=%d", label, connections,
        rate, duration.toSeconds(), pid);
    for (int i = 0; i < connections; i++) {
      open(i);
    }
    awaitReady(connections, Duration.ofSeconds(60));
    List<Sample> samples = new ArrayList<>();
    samples.add(sample("t=0"));
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextSample = start + sampleEvery.toNanos();
    long nextChurn = start + TimeUnit.MINUTES.toNanos(1);
    long periodNanos = (long) (1e9 / rate);
    long nextPublish = start;
    int kind = 0;
    List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (now >= nextPublish) {
        inFlight.add(publish(kind++ % 5));
        nextPublish += periodNanos;
        if (inFlight.size() > 200) {
          inFlight.removeIf(CompletableFuture::isDone);
        }
      }
      if (now >= nextChurn) {
        churn(connections);
        abuse();
        nextChurn += TimeUnit.MINUTES.toNanos(1);
      }
      if (now >= nextSample) {
        samples.add(sample("t=" + TimeUnit.NANOSECONDS.toSeconds(now - start) + "s"));
        nextSample += sampleEvery.toNanos();
      }
      long sleep = Math.min(nextPublish, Math.min(nextChurn, nextSample)) - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(sleep, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);
    TimeUnit.SECONDS.sleep(5); // deliveries in flight arrive
    Ledger ledgerResult = settle();
    samples.add(sample("end, open"));
    for (Conn c : all) {
      c.closeNormally();
    }
    boolean registryEmpty = awaitStats(0, Duration.ofSeconds(60));
    samples.add(sample("end, all closed"));
    // the transports' pools shrink after their idle timeout (Jetty's: 60 s): wait for it
    TimeUnit.SECONDS.sleep(settle.toSeconds());
    Sample after = sample("settled +" + settle.toSeconds() + "s");
    samples.add(after);
    report(label, baseline, samples, after, ledgerResult, registryEmpty);
    boolean ok = ledgerResult.missing == 0 && ledgerResult.duplicates == 0 && registryEmpty
        && after.connections == 0 && after.users == 0 && after.topics == 0;
    return ok ? 0 : 1;
  }

  // --- connections ---

  /** One of our connections: slot {@code index} fixes its user, role and topic. */
  private final class Conn implements WebSocket.Listener {
    final int index;
    final String user;
    final String role;
    final String topic;
    final boolean abuser;
    final BitSet received = new BitSet();
    final AtomicInteger duplicates = new AtomicInteger();
    final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String id = "";
    volatile long readyNanos; // subscribed and welcomed; 0 before
    volatile long closingNanos; // 0 while we keep it
    volatile WebSocket ws;
    volatile boolean reading = true;

    Conn(int index, boolean abuser) {
      this.index = index;
      this.user = (abuser ? "abuser-" : "u") + (index / USERS_PER_CONNECTION);
      this.role = "r" + (index % ROLES);
      this.topic = "soak:t" + (index % TOPICS);
      this.abuser = abuser;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        frame(webSocket, text);
      }
      if (reading) {
        webSocket.request(1);
      }
      return null;
    }

    private void frame(WebSocket webSocket, String text) {
      if (text.startsWith("{\"type\":\"welcome\"")) {
        Matcher m = CONNECTION_ID.matcher(text);
        id = m.find() ? m.group(1) : "";
        webSocket.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"ref\":\"s\"}",
            true);
      } else if (text.startsWith("{\"type\":\"ack\",\"ref\":\"s\"")) {
        readyNanos = System.nanoTime();
      } else if (text.startsWith("{\"type\":\"soak\"")) {
        Matcher m = SEQ.matcher(text);
        if (m.find()) {
          int n = Integer.parseInt(m.group(1));
          synchronized (received) {
            if (received.get(n)) {
              duplicates.incrementAndGet();
            }
            received.set(n);
          }
        }
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    boolean open() {
      return readyNanos != 0 && closingNanos == 0 && !closed.isDone();
    }

    void closeNormally() {
      if (closingNanos == 0) {
        closingNanos = System.nanoTime();
      }
      WebSocket w = ws;
      if (w != null && !closed.isDone()) {
        w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        w.abort(); // do not wait for the server's answer: its close is the server's business
      }
    }
  }

  private Conn open(int index) {
    Conn c = new Conn(index, false);
    connect(c);
    slots.put(index, c);
    all.add(c);
    return c;
  }

  private void connect(Conn c) {
    String token = issuer.issue(TokenClaims.of(c.user).withRoles(Set.of(c.role))
        .withTopics(List.of("soak:*")).withTtl(Duration.ofHours(2)));
    http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .connectTimeout(Duration.ofSeconds(30))
        .buildAsync(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws"), c)
        .whenComplete((ws, e) -> {
          if (e != null) {
            c.closed.complete(-2);
          } else {
            c.ws = ws;
            if (c.closingNanos != 0) { // churned again before its upgrade completed
              c.closeNormally();
            }
          }
        });
  }

  private void awaitReady(int n, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      long ready = slots.values().stream().filter(Conn::open).count();
      if (ready >= n) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    log("soak.warn ready=%d of %d after %ds", slots.values().stream().filter(Conn::open).count(),
        n, limit.toSeconds());
  }

  /** Closes 10% of the held connections and opens as many in their slots. */
  private void churn(int connections) {
    int n = Math.max(1, connections / 10);
    for (int k = 0; k < n; k++) {
      int index = random.nextInt(connections);
      Conn old = slots.get(index);
      if (old != null) {
        old.closeNormally();
      }
      open(index);
    }
    log("soak.churn closed=%d opened=%d", n, n);
  }

  /** Abusers of their own: outside the ledger, counted by how the server closed them. */
  private void abuse() {
    int base = 1_000_000 + random.nextInt(1_000_000);
    Conn flood = abuser(base);
    Conn junk = abuser(base + 2);
    Conn big = abuser(base + 4);
    Conn stalled = abuser(base + 6);
    CompletableFuture.runAsync(() -> {
      try {
        for (Conn c : List.of(flood, junk, big, stalled)) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (c.ws == null && !c.closed.isDone() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
          }
        }
        if (flood.ws != null) {
          CompletableFuture<WebSocket> chain = CompletableFuture.completedFuture(flood.ws);
          for (int i = 0; i < 400; i++) {
            String ping = "{\"type\":\"ping\",\"ref\":\"" + i + "\"}";
            chain = chain.thenCompose(w -> w.sendText(ping, true));
          }
        }
        if (junk.ws != null) {
          CompletableFuture<WebSocket> chain = CompletableFuture.completedFuture(junk.ws);
          for (String j : List.of("{", "[]", "{\"type\":5}", "{\"type\":\"publish\",\"payload\":"
              + "9".repeat(1200) + ",\"ref\":\"n\"}", "\"x\"", "{\"type\":\"subscribe\"}")) {
            chain = chain.thenCompose(w -> w.sendText(j, true));
          }
          chain.thenRun(() -> junk.closeNormally());
        }
        if (big.ws != null) {
          big.ws.sendText("{\"type\":\"x\",\"pad\":\"" + "p".repeat(70_000) + "\"}", true);
        }
        stalled.reading = false; // stops asking for frames: the server's queue backs up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    for (Conn c : List.of(flood, junk, big, stalled)) {
      c.closed.thenAccept(code -> abuseCloses.computeIfAbsent(abuseKind(c, flood, junk, big)
          + ":" + code, k -> new AtomicInteger()).incrementAndGet());
    }
    // the stalled reader is let go after 50 s, before the next round
    CompletableFuture.delayedExecutor(50, TimeUnit.SECONDS).execute(stalled::closeNormally);
  }

  private static String abuseKind(Conn c, Conn flood, Conn junk, Conn big) {
    return c == flood ? "flood" : c == junk ? "junk" : c == big ? "oversized" : "stalled";
  }

  private Conn abuser(int index) {
    Conn c = new Conn(index, true);
    connect(c);
    all.add(c);
    return c;
  }

  // --- publishing and the ledger ---

  /** One published message: what it targeted and when, for the ledger. */
  private record Sent(long seq, int kind, String value, long sentNanos, long acceptedNanos) {}

  private CompletableFuture<Void> publish(int kind) {
    List<Conn> open = slots.values().stream().filter(Conn::open).toList();
    if (open.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Conn pick = open.get(random.nextInt(open.size()));
    String value;
    String target;
    switch (kind) {
      case 0 -> {
        value = "";
        target = "{\"kind\":\"broadcast\"}";
      }
      case 1 -> {
        value = pick.user;
        target = "{\"kind\":\"user\",\"value\":\"" + value + "\"}";
      }
      case 2 -> {
        value = pick.role;
        target = "{\"kind\":\"role\",\"value\":\"" + value + "\"}";
      }
      case 3 -> {
        value = pick.id;
        target = "{\"kind\":\"connection\",\"value\":\"" + value + "\"}";
      }
      default -> {
        value = pick.topic;
        target = "{\"kind\":\"topic\",\"value\":\"" + value + "\"}";
      }
    }
    long n = seq.getAndIncrement();
    String body = "{\"target\":" + target + ",\"type\":\"soak\",\"payload\":{\"k\":" + kind
        + ",\"seq\":" + n + "}}";
    long sent = System.nanoTime();
    return http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/messages"))
            .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString())
        .handle((r, e) -> {
          if (e == null && r.statusCode() == 202) {
            ledger.add(new Sent(n, kind, value, sent, System.nanoTime()));
          } else {
            publishFailures.incrementAndGet();
          }
          return null;
        });
  }

  private record Ledger(long published, long expected, long missing, long duplicates,
      long[] expectedByKind, long[] missingByKind) {}

  /** What every kept connection was owed, and what it got. */
  private Ledger settle() {
    long expected = 0;
    long missing = 0;
    long[] expectedByKind = new long[5];
    long[] missingByKind = new long[5];
    long duplicates = 0;
    List<Conn> ledgered = all.stream().filter(c -> !c.abuser && c.readyNanos != 0).toList();
    for (Conn c : ledgered) {
      duplicates += c.duplicates.get();
    }
    for (Sent m : ledger) {
      for (Conn c : ledgered) {
        if (!matches(m, c) || c.readyNanos > m.sentNanos) {
          continue;
        }
        if (c.closingNanos != 0 && c.closingNanos - m.acceptedNanos < CLOSE_GRACE.toNanos()) {
          continue; // closed by us right after: it may legitimately have missed it
        }
        if (c.closed.isDone() && c.closingNanos == 0) {
          continue; // closed by the server (never for a well-behaved client): counted apart
        }
        expected++;
        expectedByKind[m.kind]++;
        boolean got;
        synchronized (c.received) {
          got = c.received.get((int) m.seq);
        }
        if (!got) {
          missing++;
          missingByKind[m.kind]++;
        }
      }
    }
    return new Ledger(ledger.size(), expected, missing, duplicates, expectedByKind,
        missingByKind);
  }

  private static boolean matches(Sent m, Conn c) {
    return switch (m.kind) {
      case 0 -> true;
      case 1 -> m.value.equals(c.user);
      case 2 -> m.value.equals(c.role);
      case 3 -> m.value.equals(c.id);
      default -> m.value.equals(c.topic);
    };
  }

  // --- the server, from outside ---

  private record Sample(String label, long heapAfterGc, long rss, int threads, int fds,
      int connections, int users, int topics) {}

  private Sample sample(String label) {
    if (pid > 0) {
      try {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
      } catch (IOException e) {
        log("soak.warn jcmd failed: %s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long heap = ServerProbe.heapFromMetrics(get("/metrics"));
    String status = read(Path.of("/proc", Long.toString(pid), "status"));
    String[] fds = pid > 0 ? Path.of("/proc", Long.toString(pid), "fd").toFile().list() : null;
    String stats = get("/api/v1/stats");
    Sample s = new Sample(label, heap, statusKb(status, "VmRSS") * 1024,
        (int) statusKb(status, "Threads"), fds == null ? -1 : fds.length,
        field(stats, "connections"), field(stats, "users"), field(stats, "topics"));
    log("soak.sample %-16s heapAfterGcMiB=%6.1f rssMiB=%6.1f threads=%3d fds=%5d "
            + "connections=%5d users=%5d topics=%3d", s.label, s.heapAfterGc / 1048576.0,
        s.rss / 1048576.0, s.threads, s.fds, s.connections, s.users, s.topics);
    return s;
  }

  private boolean awaitStats(int connections, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (field(get("/api/v1/stats"), "connections") == connections) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  private String get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve(path))
              .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static long statusKb(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private void report(String label, Sample baseline, List<Sample> samples, Sample after,
      Ledger l, boolean registryEmpty) {
    String[] kinds = {"broadcast", "user", "role", "connection", "topic"};
    StringBuilder byKind = new StringBuilder();
    for (int k = 0; k < 5; k++) {
      byKind.append(String.format(Locale.ROOT, " %s=%d/%d", kinds[k],
          l.expectedByKind[k] - l.missingByKind[k], l.expectedByKind[k]));
    }
    log("soak.ledger published=%d publishFailures=%d expectedDeliveries=%d missing=%d "
            + "duplicates=%d delivered(by kind)=%s", l.published, publishFailures.get(),
        l.expected, l.missing, l.duplicates, byKind.toString().trim());
    log("soak.abusers %s", new java.util.TreeMap<>(abuseCloses));
    log("soak.baseline threads=%d fds=%d | after threads=%d fds=%d registry=%d/%d/%d (%s)",
        baseline.threads, baseline.fds, after.threads, after.fds, after.connections,
        after.users, after.topics, registryEmpty ? "empty" : "NOT EMPTY");
    // a markdown table for docs/BENCHMARKS.md
    System.out.println();
    System.out.println("| " + label + " | heap after full GC (MiB) | RSS (MiB) | threads | fds"
        + " | connections | users | topics |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Sample s : samples) {
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %d | %d | %d | %d | %d |%n", s.label,
          s.heapAfterGc / 1048576.0, s.rss / 1048576.0, s.threads, s.fds, s.connections,
          s.users, s.topics);
    }
  }

  private static void log(String format, Object... args) {
    System.out.println(Instant.now() + " " + String.format(Locale.ROOT, format, args));
  }
}
