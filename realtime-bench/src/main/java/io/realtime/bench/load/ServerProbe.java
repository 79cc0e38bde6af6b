package io.realtime.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server process from the outside, on the same machine: CPU time (utime + stime from
 * {@code /proc/<pid>/stat}), resident memory and threads ({@code /proc/<pid>/status}), and
 * heap from its {@code /metrics} (the sum of {@code jvm_memory_used_bytes{area="heap"}} for
 * the JVM, {@code nodejs_heap_size_used_bytes} for the node servers). Before a memory sample it
 * can run a full collection: {@code jcmd <pid> GC.run} for a JVM, {@code /metrics?gc=1} for the
 * node servers (started with {@code --expose-gc}), and then reads memory 6 s later.
 *
 * <p>The pid comes from a flag or from the listening port: the socket's inode in
 * {@code /proc/net/tcp[6]}, then the process holding it among {@code /proc/<pid>/fd}. Without
 * a pid (another user's process, not Linux) CPU and RSS read as -1. Not thread-safe; used by
 * the driving thread only.
 */
final class ServerProbe {
  /** Utime + stime in nanoseconds, resident and heap bytes, threads; -1 when unknown. */
  record Sample(long nanos, long cpuNanos, long rssBytes, long heapBytes, int threads) {}

  private static final int MAX_PROCESSES = 100_000;
  private static final int MAX_FDS_PER_PROCESS = 300_000;
  private static final Duration SETTLE = Duration.ofSeconds(6);

  private final long pid;
  private final URI health;
  private final URI metrics;
  private final HttpClient http;
  private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond();

  private final boolean jvm;

  private ServerProbe(long pid, URI health, URI metrics) {
    this.pid = pid;
    this.health = health;
    this.metrics = metrics;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.jvm = pid > 0 && command(pid).startsWith("java");
  }

  static ServerProbe of(LoadOptions options) {
    long pid = options.serverPid() > 0 ? options.serverPid() : pidListeningOn(options.port());
    return new ServerProbe(pid, options.httpUri("/health"), options.httpUri("/metrics"));
  }

  long pid() {
    return pid;
  }

  /** What the server process is ({@code java}, {@code node}), or "" when unknown. */
  String command() {
    return pid > 0 ? command(pid) : "";
  }

  /** The status of {@code GET /health}, or -1 when the server does not answer. */
  int health() {
    try {
      return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  Sample sample(boolean collectFirst) {
    if (collectFirst && jvm) {
      fullGc();
    }
    long heap = heapBytes(collectFirst && !jvm);
    if (collectFirst) {
      settle();
    }
    long cpu = -1;
    long rss = -1;
    int threads = -1;
    if (pid > 0) {
      cpu = cpuTicks(pid) * NANOS_PER_TICK;
      String status = read(Path.of("/proc", Long.toString(pid), "status"));
      rss = statusField(status, "VmRSS:") * 1024;
      threads = (int) statusField(status, "Threads:");
    }
    return new Sample(System.nanoTime(), cpu < 0 ? -1 : cpu, rss < 0 ? -1 : rss, heap, threads);
  }

  /**
   * CPU time all processes of the machine have used (user, nice, system, irq, softirq, steal
   * from the first line of {@code /proc/stat}), in nanoseconds, or -1.
   */
  static long machineCpuNanos() {
    String stat = read(Path.of("/proc/stat"));
    if (!stat.startsWith("cpu ")) {
      return -1;
    }
    String[] f = stat.substring(4, stat.indexOf('\n')).trim().split("\\s+");
    long busy = 0;
    for (int i = 0; i < f.length && i < 8; i++) {
      if (i != 3 && i != 4) { // idle and iowait
        busy += Long.parseLong(f[i]);
      }
    }
    return busy * NANOS_PER_TICK;
  }

  /** The 1-minute load average, or -1. */
  static double loadAverage() {
    String[] f = read(Path.of("/proc/loadavg")).trim().split("\\s+");
    try {
      return Double.parseDouble(f[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** CPU time this process (the generator) has used, in nanoseconds, or -1. */
  static long ownCpuNanos() {
    long ticks = cpuTicks(ProcessHandle.current().pid());
    return ticks < 0 ? -1 : ticks * NANOS_PER_TICK;
  }

  /**
   * A pause between a full collection and reading RSS: what the collection freed is not given
   * back to the OS at once (G1 uncommits the heap it shrank after the pause, on its service
   * thread, from 100 ms on; V8 shrinks its spaces lazily), and an operator reads a process
   * seconds later, not that microsecond.
   */
  private static void settle() {
    try {
      Thread.sleep(SETTLE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fullGc() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return;
    }
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // no collection: the sample still stands, only noisier
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long heapBytes(boolean askForGc) {
    String text;
    try {
      URI uri = askForGc ? URI.create(metrics + "?gc=1") : metrics;
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        return -1;
      }
      text = r.body();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    return heapFromMetrics(text);
  }

  /** Heap bytes in a Prometheus page: JVM heap areas summed, or node's used heap; -1 if none. */
  static long heapFromMetrics(String text) {
    double jvmHeap = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        jvmHeap += value(line);
        found = true;
      } else if (line.startsWith("nodejs_heap_size_used_bytes ")) {
        return (long) value(line);
      }
    }
    return found ? (long) jvmHeap : -1;
  }

  private static double value(String line) {
    String[] parts = line.trim().split("\\s+");
    try {
      return Double.parseDouble(parts[parts.length - 1]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** CPU time of each process, in nanoseconds (-1 for one that is gone). */
  static long[] cpuNanos(Collection<Long> pids) {
    long[] out = new long[pids.size()];
    int i = 0;
    for (long pid : pids) {
      long ticks = cpuTicks(pid);
      out[i++] = ticks < 0 ? -1 : ticks * NANOS_PER_TICK;
    }
    return out;
  }

  /** utime + stime in clock ticks, or -1. */
  static long cpuTicks(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    int close = stat.lastIndexOf(')'); // the command may hold spaces and parentheses
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 2).trim().split("\\s+");
    // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based, proc(5))
    if (f.length < 13) {
      return -1;
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long statusField(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        String[] parts = line.substring(name.length()).trim().split("\\s+");
        try {
          return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static String command(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "comm")).trim();
  }

  private static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        long ticks = Long.parseLong(out);
        if (ticks > 0) {
          return ticks;
        }
      }
      p.destroyForcibly();
    } catch (IOException | NumberFormatException e) {
      // fall through: Linux's USER_HZ is 100 on every common architecture
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  /** The process listening on {@code port} (IPv4 or IPv6), or 0 when none is visible. */
  static long pidListeningOn(int port) {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    String inode = "";
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : read(Path.of(table)).split("\n")) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ... inode (field 9); 0A is LISTEN
        if (f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
          inode = f[9];
          break;
        }
      }
      if (!inode.isEmpty()) {
        break;
      }
    }
    if (inode.isEmpty() || "0".equals(inode)) {
      return 0;
    }
    String target = "socket:[" + inode + "]";
    int processes = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (++processes > MAX_PROCESSES) {
          break;
        }
        if (holds(proc.resolve("fd"), target)) {
          return Long.parseLong(proc.getFileName().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  private static boolean holds(Path fds, String target) {
    int seen = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        if (++seen > MAX_FDS_PER_PROCESS) {
          return false;
        }
        try {
          if (target.equals(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | SecurityException e) {
      return false; // another user's process
    }
    return false;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
