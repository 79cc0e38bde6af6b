package io.realtime.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run: a human table and one JSON line with the same figures. Sizes
 * are bytes, times seconds unless the name says {@code Ms} or {@code Micros}. Not measured
 * (no server pid, no metrics, nothing published) is "n/a" in the table and, in JSON, null for
 * a fraction and -1 for a byte or thread count.
 */
public record LoadReport(
    Run run,
    Connections connections,
    Publishing publishing,
    Deliveries deliveries,
    Latency latency,
    Cpu cpu,
    Memory memory) {

  /**
   * What was run against what; {@code hitMaxRun}: the run did not get all the time its flags
   * asked for (connecting, the measured window or the drain was cut by {@code --max-run}).
   */
  public record Run(String label, String scenario, String protocol, String url, String apiUrl,
      long serverPid,
      String serverCommand, int bindAddresses, int payloadBytes, double seconds,
      boolean hitMaxRun, int cores, double loadAverageBefore, double loadAverageAfter) {}

  /**
   * Connection setup: {@code ready}, {@code connectSeconds} and {@code handshakesPerSecond} are
   * of the initial connect phase; connections churn opened later count in {@code churned}.
   */
  public record Connections(int requested, long ready, long failed,
      Map<String, Long> failureReasons, double connectSeconds, double handshakesPerSecond,
      Latency handshake, double serverCpuMicrosPerHandshake, long churned,
      Map<String, Long> unexpectedCloses) {}

  /** Messages sent through the server API; {@code acceptedPerSecond} in the measured window. */
  public record Publishing(double targetRate, long sent, long accepted, long failed,
      Map<String, Long> failureReasons, double acceptedPerSecond, long lateSends,
      double warmupSeconds, double measuredSeconds) {}

  /**
   * Messages received. {@code perSecond} counts deliveries of messages sent in the measured
   * window, over the time from its start to the last of them. {@code missing}: accepted but
   * never received within a connection's window; {@code duplicates}: a sequence received
   * twice; {@code misrouted}: another group's message; {@code unacknowledged}: received
   * although its POST failed.
   */
  public record Deliveries(long total, long measured, double perSecond, long expected,
      long missing, long duplicates, long misrouted, long unacknowledged) {}

  /** Percentiles in milliseconds. */
  public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
      double maxMs) {
    static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN);

    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return NONE;
      }
      return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
      return Math.round(nanos / 1_000.0) / 1_000.0; // microsecond resolution
    }
  }

  /**
   * Server and generator CPU over the measured window (idle: the hold), in percent of one
   * core; {@code otherPercent} is what the rest of the machine used meanwhile (other builds
   * on a shared machine make figures noisy: look there first), beside the processes named
   * with {@code --other-pids}, each in {@code others}.
   */
  public record Cpu(double windowSeconds, double serverSeconds, double serverPercent,
      double serverMicrosPerDelivery, double generatorSeconds, double generatorPercent,
      double otherPercent, Map<String, Double> others) {}

  /** Server memory before connecting and with every connection open. */
  public record Memory(long rssBaseline, long rssLoaded, long heapBaseline, long heapLoaded,
      double rssPerConnection, double heapPerConnection, int threadsBaseline,
      int threadsLoaded, boolean collectedFirst) {}

  private static String othersText(Map<String, Double> others) {
    StringBuilder out = new StringBuilder();
    others.forEach((name, percent) ->
        out.append(String.format(Locale.ROOT, " %s %.0f%%;", name, percent)));
    return out.toString();
  }

  /** The table a person reads. */
  public String table() {
    StringBuilder out = new StringBuilder();
    line(out, "run", "%s%s over %s at %s%s; server pid %d (%s); %d source address(es); %.1f s%s",
        run.label().isEmpty() ? "" : "[" + run.label() + "] ", run.scenario(), run.protocol(),
        run.url(), run.apiUrl().equals(run.url()) ? "" : ", API at " + run.apiUrl(),
        run.serverPid(), run.serverCommand(), run.bindAddresses(), run.seconds(),
        run.hitMaxRun() ? " (CUT SHORT by --max-run)" : "");
    line(out, "machine", "%d cores, load average %.2f before, %.2f after", run.cores(),
        run.loadAverageBefore(), run.loadAverageAfter());
    line(out, "connections", "%d of %d ready, %d failed%s; %.2f s = %.0f handshakes/s",
        connections.ready(), connections.requested(), connections.failed(),
        connections.failureReasons().isEmpty() ? "" : " " + connections.failureReasons(),
        connections.connectSeconds(), connections.handshakesPerSecond());
    line(out, "handshake", "%s; server CPU %s per handshake",
        latencyText(connections.handshake()), micros(connections.serverCpuMicrosPerHandshake()));
    if (connections.churned() > 0 || !connections.unexpectedCloses().isEmpty()) {
      line(out, "churn", "%d connections replaced; unexpected closes %s", connections.churned(),
          connections.unexpectedCloses());
    }
    if (publishing.sent() > 0) {
      line(out, "publishing", "target %s, %d sent, %d accepted (%.0f/s measured), %d failed%s,"
              + " %d late; warm-up %.1f s, measured %.1f s",
          publishing.targetRate() == 0 ? "max" : String.format(Locale.ROOT, "%.0f/s",
              publishing.targetRate()),
          publishing.sent(), publishing.accepted(), publishing.acceptedPerSecond(),
          publishing.failed(), publishing.failureReasons().isEmpty() ? ""
              : " " + publishing.failureReasons(), publishing.lateSends(),
          publishing.warmupSeconds(), publishing.measuredSeconds());
      line(out, "deliveries", "%d (%d measured, %.0f/s), expected %d; missing %d, duplicates %d,"
              + " misrouted %d, unacknowledged %d",
          deliveries.total(), deliveries.measured(), deliveries.perSecond(), deliveries.expected(),
          deliveries.missing(), deliveries.duplicates(), deliveries.misrouted(),
          deliveries.unacknowledged());
      line(out, "latency", "%s", latencyText(latency));
    }
    line(out, "cpu", "server %.2f s over %.1f s = %.0f%% (%s per delivery); generator %.0f%%;"
            + "%s other processes %.0f%% (percent of one core)",
        cpu.serverSeconds(), cpu.windowSeconds(), cpu.serverPercent(),
        micros(cpu.serverMicrosPerDelivery()), cpu.generatorPercent(), othersText(cpu.others()),
        cpu.otherPercent());
    line(out, "memory", "RSS %s -> %s (%s per connection), heap %s -> %s (%s per connection),"
            + " threads %d -> %d%s",
        mb(memory.rssBaseline()), mb(memory.rssLoaded()), kb(memory.rssPerConnection()),
        mb(memory.heapBaseline()), mb(memory.heapLoaded()), kb(memory.heapPerConnection()),
        memory.threadsBaseline(), memory.threadsLoaded(),
        memory.collectedFirst() ? ", after full GC" : "");
    return out.toString();
  }

  /** The same figures as one line of JSON. */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tool", "realtime-load");
    root.put("run", run);
    root.put("connections", connections);
    root.put("publishing", publishing);
    root.put("deliveries", deliveries);
    root.put("latency", latency);
    root.put("cpu", cpu);
    root.put("memory", memory);
    StringWriter text = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
      write(g, root);
    } catch (IOException e) { // a StringWriter does not fail
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof Record r) {
      g.writeStartObject();
      for (var c : r.getClass().getRecordComponents()) {
        g.writeFieldName(c.getName());
        try {
          write(g, c.getAccessor().invoke(r));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      g.writeEndObject();
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (var e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof Double d) {
      if (Double.isFinite(d)) {
        g.writeNumber(Math.round(d * 1000) / 1000.0);
      } else {
        g.writeNull(); // not -1: a per-connection growth or a share may really be negative
      }
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(String.valueOf(value));
    }
  }

  private static void line(StringBuilder out, String label, String format, Object... args) {
    out.append(String.format(Locale.ROOT, "%-12s ", label))
        .append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static String latencyText(Latency l) {
    if (l.count() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (n=%d)",
        l.p50Ms(), l.p90Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(), l.count());
  }

  private static String micros(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f µs", v);
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String kb(double bytes) {
    return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
  }
}
