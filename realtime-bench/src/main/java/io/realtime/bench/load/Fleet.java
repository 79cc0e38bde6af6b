package io.realtime.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The generator's connections: one Jetty {@link WebSocketClient} over an {@link HttpClient}
 * whose connector spreads sockets over the configured local addresses, a bounded number of
 * handshakes in flight, and the bookkeeping of who is ready, who failed and why.
 *
 * <p>Threading: {@link #connect} and {@link #churn} are called by one driving thread; the
 * {@link BenchSocket.Events} callbacks come from Jetty's threads. Every wait is bounded by a
 * deadline given by the caller.
 */
final class Fleet implements BenchSocket.Events, AutoCloseable {
  private final LoadOptions options;
  private final Plan plan;
  private final Ledger ledger;
  private final QueuedThreadPool threads;
  private final Scheduler scheduler;
  private final HttpClient http;
  private final WebSocketClient client;
  private final Semaphore handshakes;
  private final Set<BenchSocket> holdingPermit = ConcurrentHashMap.newKeySet();
  private final Queue<BenchSocket> all = new ConcurrentLinkedQueue<>();
  // ready sockets, oldest first, for churn; may hold closed ones, skipped when polled
  private final ConcurrentLinkedDeque<BenchSocket> readyInOrder = new ConcurrentLinkedDeque<>();
  private final AtomicInteger nextIndex = new AtomicInteger();

  final LongAdder attempted = new LongAdder();
  final LongAdder ready = new LongAdder();
  final Failures connectFailures = new Failures();
  final Failures unexpectedCloses = new Failures();
  final LongAccumulator lastReadyNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
  final Histogram handshakeLatency = new ConcurrentHistogram(Ledger.MAX_LATENCY_NANOS, 3);
  private volatile boolean countingFromZero = true;
  private volatile boolean recordHandshakes = true;

  Fleet(LoadOptions options, Plan plan, Ledger ledger) {
    this.options = options;
    this.plan = plan;
    this.ledger = ledger;
    int cores = Runtime.getRuntime().availableProcessors();
    // tuning knobs for the generator itself (system properties, not flags: rarely needed)
    threads = new QueuedThreadPool(Integer.getInteger("realtime.load.threads", 8 * cores), 4);
    threads.setName("load-client");
    threads.setDaemon(true);
    scheduler = new ScheduledExecutorScheduler("load-scheduler", true);
    SpreadingClientConnector connector = new SpreadingClientConnector(options.bindAddresses());
    connector.setExecutor(threads);
    connector.setScheduler(scheduler);
    connector.setSelectors(Integer.getInteger("realtime.load.selectors", Math.min(2, cores)));
    connector.setConnectTimeout(Duration.ofSeconds(15));
    connector.setIdleTimeout(options.maxRun());
    http = new HttpClient(new HttpClientTransportOverHTTP(connector));
    http.setExecutor(threads);
    http.setScheduler(scheduler);
    http.setMaxConnectionsPerDestination(options.connectConcurrency());
    http.setMaxRequestsQueuedPerDestination(options.connectConcurrency() * 2 + 1024);
    http.setIdleTimeout(options.maxRun().toMillis());
    http.setUserAgentField(null);
    client = new WebSocketClient(http);
    client.setIdleTimeout(options.maxRun());
    client.setMaxTextMessageSize(1 << 20);
    client.setStopTimeout(5_000);
    handshakes = new Semaphore(options.connectConcurrency());
  }

  void start() throws Exception {
    http.start(); // starts the connector and the shared pool
    client.start();
  }

  /** The client's thread pool, shared with the publisher so the generator stays small. */
  Executor executor() {
    return threads;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Opens {@code count} connections, at most {@code connectConcurrency} handshakes at once,
   * and waits until each is ready or failed, or until {@code deadlineNanos}.
   *
   * @return how many became ready
   */
  long connect(int count, long deadlineNanos) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || !handshakes.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        break;
      }
      open();
    }
    long left = deadlineNanos - System.nanoTime();
    int permits = options.connectConcurrency();
    if (left > 0 && handshakes.tryAcquire(permits, left, TimeUnit.NANOSECONDS)) {
      handshakes.release(permits);
    }
    return ready.sum();
  }

  /** From now on, new connections expect only messages numbered after they become ready. */
  void publishingStarts() {
    countingFromZero = false;
  }

  /** Handshake latency of connections opened from now on is not recorded (churn). */
  void stopRecordingHandshakes() {
    recordHandshakes = false;
  }

  /**
   * One churn step: {@code count} of the longest-ready connections leave (expecting what was
   * answered before they left, closed at the latest after {@code grace}) and as many new ones
   * open, if handshake slots are free now.
   *
   * @return connections opened
   */
  int churn(int count, Duration grace) {
    for (int i = 0; i < count; i++) {
      BenchSocket oldest = readyInOrder.pollFirst();
      while (oldest != null && !oldest.isReady()) { // closed by the server meanwhile
        oldest = readyInOrder.pollFirst();
      }
      if (oldest == null) {
        break;
      }
      BenchSocket leaving = oldest;
      leaving.leave(ledger.lowestUnanswered(leaving.group));
      scheduler.schedule(() -> leaving.close(1000, "churn"), grace.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    int opened = 0;
    for (int i = 0; i < count && handshakes.tryAcquire(); i++) {
      open();
      opened++;
    }
    return opened;
  }

  private void open() {
    int index = nextIndex.getAndIncrement();
    String token = plan.tokenFor(index);
    BenchSocket socket = new BenchSocket(index, plan.groupOf(index), options.protocol(),
        token, plan.topicOf(index), ledger, this, countingFromZero);
    all.add(socket);
    holdingPermit.add(socket);
    attempted.increment();
    try {
      client.connect(socket, request(token))
          .whenComplete((session, failure) -> {
            if (failure != null) {
              socket.connectFailed(failure);
            }
          });
    } catch (Exception e) { // IOException or a refused state: the attempt never started
      socket.connectFailed(e);
    }
  }

  private ClientUpgradeRequest request(String token) {
    URI uri = options.webSocketUri();
    if (options.protocol() == Protocol.REALTIME
        && options.auth() == LoadOptions.TokenPlacement.QUERY) {
      uri = URI.create(uri + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }
    ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
    request.setTimeout(15, TimeUnit.SECONDS);
    if (options.protocol() == Protocol.REALTIME) {
      switch (options.auth()) {
        case HEADER -> request.setHeader("Authorization", "Bearer " + token);
        case SUBPROTOCOL -> request.setSubProtocols("realtime.v1", "bearer." + token);
        case QUERY -> { } // in the URI
        default -> throw new AssertionError(options.auth());
      }
    }
    return request;
  }

  private void releasePermit(BenchSocket socket) {
    if (holdingPermit.remove(socket)) {
      handshakes.release();
    }
  }

  @Override
  public void ready(BenchSocket socket, long nanos) {
    ready.increment();
    lastReadyNanos.accumulate(nanos);
    if (recordHandshakes) {
      handshakeLatency.recordValue(
          Math.max(0, Math.min(nanos - socket.startedNanos, Ledger.MAX_LATENCY_NANOS)));
    }
    readyInOrder.addLast(socket);
    releasePermit(socket);
  }

  @Override
  public void failed(BenchSocket socket, String reason) {
    connectFailures.add(reason);
    releasePermit(socket);
  }

  @Override
  public void closed(BenchSocket socket, int code, boolean expected) {
    if (!expected) {
      unexpectedCloses.add("close " + code);
    }
    releasePermit(socket);
  }

  List<BenchSocket> sockets() {
    return new ArrayList<>(all);
  }

  /** Closes every socket with 1000 and waits for the handshakes until {@code deadlineNanos}. */
  void closeAll(long deadlineNanos) throws InterruptedException {
    for (BenchSocket s : all) {
      s.close(1000, "load run done");
    }
    while (System.nanoTime() < deadlineNanos && !client.getOpenSessions().isEmpty()) {
      TimeUnit.MILLISECONDS.sleep(20); // CLI polling, bounded by the deadline
    }
  }

  Map<String, Long> failureReasons() {
    return connectFailures.top(5);
  }

  @Override
  public void close() {
    stop(client);
    stop(http);
    if (scheduler instanceof ScheduledExecutorScheduler s) {
      stop(s);
    }
    stop(threads);
  }

  /** Stops a Jetty component; a failure to stop only ends the run a little less tidily. */
  static void stop(LifeCycle component) {
    try {
      component.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("realtime-load: stopping " + component + " failed: " + e);
    }
  }
}
