package io.realtime.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator: drives a running server over real sockets and reports connection setup,
 * delivered messages per second, end-to-end latency, lost or duplicated deliveries, and the
 * server's CPU and memory. One run: mint tokens and connect ({@code connectConcurrency}
 * handshakes at once), publish for {@code warmup} then {@code duration} (or hold, for
 * {@code idle}), drain, sample the server, close everything. The table goes to stdout,
 * followed by one JSON line starting with {@code {"tool":"realtime-load"}.
 *
 * <pre>
 * java -cp realtime-bench/target/benchmarks.jar io.realtime.bench.load.LoadMain \
 *   --scenario=broadcast --url=http://127.0.0.1:8080 --api-key=$KEY --secret=$SECRET \
 *   --connections=2000 --rate=10 --duration=20
 * </pre>
 *
 * Exit status: 0 after a run (whatever it measured), 2 for bad flags, 1 when the run failed.
 * {@code realtime-bench/run.sh} starts a server, runs one scenario against it and stops it;
 * {@code realtime-bench/run-all.sh} runs every scenario on every server.
 */
public final class LoadMain {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final Duration CHURN_STEP = Duration.ofMillis(100);
  private static final Duration CHURN_GRACE = Duration.ofSeconds(2);

  private LoadMain() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help") || args.length == 0) {
      System.out.print(LoadOptions.usage());
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("realtime-load: " + e.getMessage());
      System.err.print(LoadOptions.usage());
      System.exit(2);
      return;
    }
    try {
      LoadReport report = run(options, System.err);
      print(report, options.jsonOnly(), System.out);
    } catch (Exception e) {
      System.err.println("realtime-load: run failed: " + e);
      System.exit(1);
    }
    System.exit(0); // the client's daemon threads would end anyway; do not wait for them
  }

  static void print(LoadReport report, boolean jsonOnly, PrintStream out) {
    if (!jsonOnly) {
      out.print(report.table());
    }
    out.println(report.json());
    out.flush();
  }

  /** One bounded run; progress lines go to {@code progress}. */
  public static LoadReport run(LoadOptions o, PrintStream progress) throws Exception {
    long started = System.nanoTime();
    double loadBefore = ServerProbe.loadAverage();
    long hardDeadline = started + o.maxRun().toNanos();
    Plan plan = new Plan(o);
    Ledger ledger = new Ledger(plan.groups(), o.scenario() == Scenario.CHURN);
    ServerProbe probe = ServerProbe.of(o);
    int health = probe.health();
    if (health != 200) {
      throw new IllegalStateException("server not serving at " + o.url() + " (GET /health: "
          + (health < 0 ? "no answer" : health) + ")");
    }
    progress.printf("realtime-load: %s, %d connections, server pid %d (%s)%n",
        o.scenario().wire(), o.connections(), probe.pid(), probe.command());
    ServerProbe.Sample baseline = probe.sample(o.gc());

    try (Fleet fleet = new Fleet(o, plan, ledger)) {
      fleet.start();
      // connecting may use what the later phases do not need
      long reserve = o.warmup().plus(o.duration()).plus(o.drain()).plus(CLOSE_WAIT).toNanos();
      long connectDeadline = Math.max(started + TimeUnit.SECONDS.toNanos(5), hardDeadline - reserve);
      ServerProbe.Sample beforeConnect = probe.sample(false);
      long connectStart = System.nanoTime();
      fleet.connect(o.connections(), connectDeadline);
      boolean connectCut = System.nanoTime() >= connectDeadline; // connect returns early when done
      ServerProbe.Sample afterConnect = probe.sample(false);
      long connected = fleet.ready.sum();
      long lastReady = fleet.lastReadyNanos.get();
      double connectSeconds = connected == 0 ? 0 : (lastReady - connectStart) / 1e9;
      progress.printf("realtime-load: %d ready, %d failed in %.2f s%n", connected,
          fleet.connectFailures.total(), connectSeconds);

      if (connected == 0) {
        throw new IllegalStateException("no connection became ready: "
            + fleet.failureReasons());
      }
      Phase phase = o.scenario() == Scenario.IDLE
          ? hold(o, ledger, probe, hardDeadline)
          : publish(o, plan, ledger, fleet, probe, hardDeadline, progress);

      fleet.closeAll(Math.min(hardDeadline, System.nanoTime() + CLOSE_WAIT.toNanos()));
      reportMissing(fleet, progress);
      return report(o, probe, fleet, ledger, baseline, phase, connected, connectSeconds,
          beforeConnect, afterConnect, started, connectCut || phase.cutShort(), loadBefore);
    }
  }

  /** What the hold or publish phase measured. */
  private record Phase(ServerProbe.Sample from, ServerProbe.Sample to, long generatorFrom,
      long generatorTo, long machineFrom, long machineTo, long[] othersFrom, long[] othersTo,
      ServerProbe.Sample loaded, long openAtLoaded,
      Publisher.Outcome publishing, long churned, long publishedNanos, boolean cutShort) {}

  private static Phase hold(LoadOptions o, Ledger ledger, ServerProbe probe, long hardDeadline)
      throws InterruptedException {
    ServerProbe.Sample loaded = probe.sample(o.gc());
    long open = open(ledger);
    ServerProbe.Sample from = probe.sample(false);
    long generatorFrom = ServerProbe.ownCpuNanos();
    long machineFrom = ServerProbe.machineCpuNanos();
    long[] othersFrom = ServerProbe.cpuNanos(o.otherPids().values());
    long until = from.nanos() + o.duration().toNanos();
    pauseUntil(Math.min(hardDeadline - CLOSE_WAIT.toNanos(), until));
    ServerProbe.Sample to = probe.sample(false);
    return new Phase(from, to, generatorFrom, ServerProbe.ownCpuNanos(), machineFrom,
        ServerProbe.machineCpuNanos(), othersFrom, ServerProbe.cpuNanos(o.otherPids().values()),
        loaded, open, Publisher.Outcome.NONE, 0, 0,
        hardDeadline - CLOSE_WAIT.toNanos() < until);
  }

  private static Phase publish(LoadOptions o, Plan plan, Ledger ledger, Fleet fleet,
      ServerProbe probe, long hardDeadline, PrintStream progress) throws Exception {
    fleet.publishingStarts();
    long now = System.nanoTime();
    long measureFrom = now + o.warmup().toNanos();
    long stopAt = Math.min(measureFrom + o.duration().toNanos(),
        hardDeadline - o.drain().toNanos() - CLOSE_WAIT.toNanos());
    long drainDeadline = Math.min(stopAt + o.drain().toNanos(), hardDeadline - CLOSE_WAIT.toNanos());
    // known before the first send: a message counts by its send time, whenever it is answered
    ledger.startMeasuring(measureFrom);
    try (Publisher publisher = new Publisher(o, plan, ledger, fleet.executor(), fleet.scheduler())) {
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread sender = new Thread(() -> {
        try {
          publisher.run(stopAt, drainDeadline);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failure.set(e);
        }
      }, "load-publisher");
      sender.setDaemon(true);
      sender.start();

      long churned = 0;
      if (o.scenario() == Scenario.CHURN) {
        fleet.stopRecordingHandshakes();
      }
      ServerProbe.Sample from = null;
      long generatorFrom = 0;
      long machineFrom = 0;
      long[] othersFrom = null;
      double carry = 0;
      long step = CHURN_STEP.toNanos();
      for (long tick = now + step; System.nanoTime() < stopAt; tick += step) {
        if (from == null && measureFrom <= tick) { // sample at the window's start, not a step late
          pauseUntil(Math.min(measureFrom, stopAt));
          from = probe.sample(false);
          generatorFrom = ServerProbe.ownCpuNanos();
          machineFrom = ServerProbe.machineCpuNanos();
          othersFrom = ServerProbe.cpuNanos(o.otherPids().values());
          progress.printf("realtime-load: warm-up done, measuring %d s%n", o.duration().toSeconds());
        }
        pauseUntil(Math.min(tick, stopAt));
        if (o.scenario() == Scenario.CHURN) {
          carry += o.churnPerSecond() * CHURN_STEP.toNanos() / 1e9;
          int count = (int) carry;
          carry -= count;
          churned += fleet.churn(count, CHURN_GRACE);
        }
      }
      if (from == null) { // warm-up longer than the run allowed
        from = probe.sample(false);
        generatorFrom = ServerProbe.ownCpuNanos();
        machineFrom = ServerProbe.machineCpuNanos();
        othersFrom = ServerProbe.cpuNanos(o.otherPids().values());
      }
      sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainDeadline - System.nanoTime())));
      if (failure.get() != null) {
        throw failure.get();
      }
      awaitDeliveries(ledger, drainDeadline);
      ServerProbe.Sample to = probe.sample(false);
      long generatorTo = ServerProbe.ownCpuNanos();
      long machineTo = ServerProbe.machineCpuNanos();
      long[] othersTo = ServerProbe.cpuNanos(o.otherPids().values());
      ServerProbe.Sample loaded = probe.sample(o.gc());
      long open = open(ledger);
      progress.printf("realtime-load: published %d, delivered %d%n", publisher.sent.sum(),
          ledger.delivered.sum());
      return new Phase(from, to, generatorFrom, generatorTo, machineFrom, machineTo, othersFrom,
          othersTo, loaded, open,
          new Publisher.Outcome(publisher.sent.sum(), publisher.late.sum(),
              publisher.failures.top(5)), churned, Math.max(0, stopAt - measureFrom),
          stopAt < measureFrom + o.duration().toNanos()
              || drainDeadline < stopAt + o.drain().toNanos());
    }
  }

  /** Until every expected delivery arrived, nothing arrived for a second, or the deadline. */
  private static void awaitDeliveries(Ledger ledger, long deadline) throws InterruptedException {
    long lastCount = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long delivered = ledger.delivered.sum();
      if (delivered >= ledger.expectedDeliveries.sum()) {
        return;
      }
      if (delivered != lastCount) {
        lastCount = delivered;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(1)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20); // CLI polling, bounded by the deadline
    }
  }

  private static LoadReport report(LoadOptions o, ServerProbe probe, Fleet fleet, Ledger ledger,
      ServerProbe.Sample baseline, Phase phase, long initialReady, double connectSeconds,
      ServerProbe.Sample beforeConnect, ServerProbe.Sample afterConnect, long started,
      boolean cutShort, double loadBefore) {
    long missing = 0;
    long unacknowledged = 0;
    List<BenchSocket> sockets = fleet.sockets();
    BitSet[] accepted = new BitSet[ledger.groups()];
    for (int g = 0; g < accepted.length; g++) {
      accepted[g] = ledger.acceptedAll(g);
    }
    for (BenchSocket s : sockets) {
      missing += s.missing();
      unacknowledged += s.unacknowledged(accepted[s.group]);
    }
    double windowSeconds = (phase.to().nanos() - phase.from().nanos()) / 1e9;
    double serverCpu = seconds(phase.from().cpuNanos(), phase.to().cpuNanos());
    double generatorCpu = seconds(phase.generatorFrom(), phase.generatorTo());
    double machineCpu = seconds(phase.machineFrom(), phase.machineTo());
    long measured = ledger.deliveredMeasured.sum();
    long lastDelivery = ledger.lastDeliveryNanos.get();
    double deliverySeconds = (lastDelivery - ledger.measureFromNanos()) / 1e9;
    double handshakeCpu = seconds(beforeConnect.cpuNanos(), afterConnect.cpuNanos());
    boolean publishes = o.scenario().publishes();

    var run = new LoadReport.Run(o.label(), o.scenario().wire(), o.protocol().wire(), o.url().toString(),
        o.apiUrl().toString(), probe.pid(), probe.command(), o.bindAddresses().size(), o.payloadBytes(),
        (System.nanoTime() - started) / 1e9, cutShort,
        Runtime.getRuntime().availableProcessors(), loadBefore, ServerProbe.loadAverage());
    var connections = new LoadReport.Connections(o.connections(), initialReady,
        fleet.connectFailures.total(), fleet.failureReasons(), connectSeconds,
        connectSeconds > 0 ? initialReady / connectSeconds : Double.NaN,
        LoadReport.Latency.of(fleet.handshakeLatency.copy()),
        Double.isNaN(handshakeCpu) || initialReady == 0 ? Double.NaN
            : handshakeCpu * 1e6 / initialReady,
        phase.churned(), fleet.unexpectedCloses.top(5));
    var publishing = new LoadReport.Publishing(o.rate(), phase.publishing().sent(),
        ledger.published.sum() - ledger.publishFailed.sum(), ledger.publishFailed.sum(),
        phase.publishing().failureReasons(),
        publishes && phase.publishedNanos() > 0
            ? ledger.acceptedMeasured.sum() * 1e9 / phase.publishedNanos() : Double.NaN,
        phase.publishing().late(), o.warmup().toMillis() / 1e3, phase.publishedNanos() / 1e9);
    var deliveries = new LoadReport.Deliveries(ledger.delivered.sum(), measured,
        measured > 0 && deliverySeconds > 0 ? measured / deliverySeconds : 0,
        ledger.expectedDeliveries.sum(), missing, ledger.duplicates.sum(),
        ledger.misrouted.sum(), unacknowledged);
    Map<String, Double> others = new LinkedHashMap<>();
    double othersCpu = 0;
    int i = 0;
    for (String name : o.otherPids().keySet()) {
      double c = seconds(phase.othersFrom()[i], phase.othersTo()[i]);
      i++;
      others.put(name, windowSeconds > 0 ? c / windowSeconds * 100 : Double.NaN);
      othersCpu += Double.isNaN(c) ? 0 : c;
    }
    var cpu = new LoadReport.Cpu(windowSeconds, serverCpu,
        windowSeconds > 0 ? serverCpu / windowSeconds * 100 : Double.NaN,
        publishes && measured > 0 && !Double.isNaN(serverCpu) ? serverCpu * 1e6 / measured
            : Double.NaN,
        generatorCpu, windowSeconds > 0 ? generatorCpu / windowSeconds * 100 : Double.NaN,
        // clock ticks of three counters read at slightly different moments: never below 0
        windowSeconds > 0
            ? Math.max(0, machineCpu - serverCpu - generatorCpu - othersCpu) / windowSeconds * 100
            : Double.NaN, others);
    ServerProbe.Sample loaded = phase.loaded();
    var memory = new LoadReport.Memory(baseline.rssBytes(), loaded.rssBytes(),
        baseline.heapBytes(), loaded.heapBytes(),
        perConnection(baseline.rssBytes(), loaded.rssBytes(), phase.openAtLoaded()),
        perConnection(baseline.heapBytes(), loaded.heapBytes(), phase.openAtLoaded()),
        baseline.threads(), loaded.threads(), o.gc());
    return new LoadReport(run, connections, publishing, deliveries,
        LoadReport.Latency.of(ledger.latency()), cpu, memory);
  }

  /** Names the first sockets that missed deliveries: which numbers, and in what state. */
  private static void reportMissing(Fleet fleet, PrintStream progress) {
    int named = 0;
    for (BenchSocket s : fleet.sockets()) {
      if (named < 10 && s.missing() > 0) {
        progress.printf("realtime-load: missing: %s%n", s.missingText());
        named++;
      }
    }
  }

  /** Growth per connection open at the loaded sample. */
  private static double perConnection(long base, long loaded, long open) {
    if (base < 0 || loaded < 0 || open <= 0) {
      return Double.NaN;
    }
    return (double) (loaded - base) / open;
  }

  /** Connections ready (welcomed, subscribed) now. */
  private static long open(Ledger ledger) {
    long open = 0;
    for (int g = 0; g < ledger.groups(); g++) {
      open += ledger.members(g);
    }
    return open;
  }

  private static double seconds(long fromNanos, long toNanos) {
    return fromNanos < 0 || toNanos < 0 ? Double.NaN : (toNanos - fromNanos) / 1e9;
  }

  private static void pauseUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
