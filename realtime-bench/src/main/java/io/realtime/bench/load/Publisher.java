package io.realtime.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Publishes through the server API ({@code POST /api/v1/messages} with the API key) from one
 * pacing thread, asynchronously on Jetty's {@link HttpClient}, with at most
 * {@code maxInFlight} requests outstanding. At a {@code rate} it sends on a fixed schedule
 * (falling behind when every slot is busy, catching up by at most one second's worth); at
 * rate 0 it sends whenever a slot is free, so it measures what the server accepts. With
 * {@code maxUndelivered} it also waits while that many accepted frames have not arrived yet.
 *
 * <p>Each message's payload carries its send time, group and group sequence number; a 202
 * marks the number accepted in the {@link Ledger}, anything else counts as a failure. Threading:
 * {@link #run} on one thread; completions on the client's pool.
 */
final class Publisher implements AutoCloseable {
  private static final long REQUEST_TIMEOUT_SECONDS = 15;
  /** How long a publisher held by {@code maxUndelivered} waits before it looks again. */
  private static final long UNDELIVERED_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  /** What a run sent, how often the schedule slipped, and why requests failed. */
  record Outcome(long sent, long late, Map<String, Long> failureReasons) {
    static final Outcome NONE = new Outcome(0, 0, Map.of());

    Outcome {
      failureReasons = Map.copyOf(failureReasons);
    }
  }

  private final LoadOptions options;
  private final Plan plan;
  private final Ledger ledger;
  private final Payload payload;
  private final HttpClient http;
  private final Semaphore slots;
  private final URI messages;
  private final String authorization;
  private final SplittableRandom random;

  final LongAdder sent = new LongAdder();
  final LongAdder late = new LongAdder();
  final Failures failures = new Failures();

  Publisher(LoadOptions options, Plan plan, Ledger ledger, Executor executor, Scheduler scheduler)
      throws Exception {
    this.options = options;
    this.plan = plan;
    this.ledger = ledger;
    this.payload = new Payload(options.payloadBytes());
    this.slots = new Semaphore(options.maxInFlight());
    this.messages = options.apiUri("/api/v1/messages");
    this.authorization = "Bearer " + options.apiKey();
    this.random = new SplittableRandom(options.seed());
    http = new HttpClient();
    http.setExecutor(executor);
    http.setScheduler(scheduler);
    http.setMaxConnectionsPerDestination(options.maxInFlight());
    http.setMaxRequestsQueuedPerDestination(options.maxInFlight() * 2);
    http.setUserAgentField(null);
    http.start();
  }

  /**
   * Publishes until {@code stopAtNanos} (or the message cap), then waits for the requests in
   * flight until {@code deadlineNanos}. Returns the number sent.
   */
  long run(long stopAtNanos, long deadlineNanos) throws InterruptedException {
    double rate = options.rate();
    long period = rate > 0 ? Math.max(1, Math.round(1e9 / rate)) : 0;
    long maxBacklog = period > 0 ? Math.max(period, TimeUnit.SECONDS.toNanos(1)) : 0;
    long next = System.nanoTime();
    long count = 0;
    while (count < options.maxMessages()) {
      long now = System.nanoTime();
      if (now >= stopAtNanos) {
        break;
      }
      if (period > 0) {
        if (next > now) {
          LockSupport.parkNanos(Math.min(next - now, stopAtNanos - now));
          continue;
        }
        if (now - next > maxBacklog) { // far behind: skip, do not burst to catch up
          late.add((now - next) / period);
          next = now;
        }
      }
      if (options.maxUndelivered() > 0 && ledger.undelivered() > options.maxUndelivered()) {
        LockSupport.parkNanos(UNDELIVERED_POLL_NANOS);
        continue; // the clients are behind: publishing more would only grow their queues
      }
      if (!slots.tryAcquire(Math.min(100_000_000L, Math.max(1, stopAtNanos - now)),
          TimeUnit.NANOSECONDS)) {
        continue; // the same send again: a full window delays it, never drops it
      }
      next += period;
      publishOne();
      count++;
    }
    long left = deadlineNanos - System.nanoTime();
    if (left > 0 && slots.tryAcquire(options.maxInFlight(), left, TimeUnit.NANOSECONDS)) {
      slots.release(options.maxInFlight());
    }
    return count;
  }

  private void publishOne() {
    int group = plan.pickGroup(random);
    int seq = ledger.nextSeq(group);
    long sentNanos = System.nanoTime();
    String body = "{\"target\":" + plan.target(group) + ",\"type\":\"bench\",\"payload\":"
        + payload.json(sentNanos, group, seq) + "}";
    sent.increment();
    ledger.published.increment();
    try {
      http.newRequest(messages)
          .method(HttpMethod.POST)
          .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization))
          .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
          .send(new BufferingResponseListener(4096) {
            @Override
            public void onComplete(Result result) {
              try {
                if (result.isSucceeded() && result.getResponse().getStatus() == 202) {
                  ledger.accepted(group, seq, sentNanos);
                } else {
                  ledger.failed(group, seq);
                  failures.add(result.isSucceeded()
                      ? "http " + result.getResponse().getStatus()
                      : Failures.reason(result.getFailure()));
                }
              } finally {
                slots.release();
              }
            }
          });
    } catch (RuntimeException e) {
      ledger.failed(group, seq);
      failures.add(Failures.reason(e));
      slots.release();
    }
  }

  @Override
  public void close() {
    Fleet.stop(http);
  }
}
