package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;

import io.realtime.domain.Envelope;
import io.realtime.domain.RawJson;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Figures, not assertions (not run by {@code mvn verify}: its name is no test's):
 * {@code mvn -B -q verify -pl realtime-adapter-redis -am -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=RedisMeasurement}; results in the test's output file. Bounded in count and time.
 */
class RedisMeasurement {
  private static final TopicName FEED = new TopicName("feed");

  private static Envelope post(long nanos) {
    return new Envelope("x", "tick", new RawJson("{\"sent\":" + nanos + ",\"pad\":\""
        + "x".repeat(64) + "\"}"), Instant.now(), Target.topic("feed"));
  }

  @Test
  void publishesPerSecondThroughTheScriptWithHistory() throws Exception {
    try (RedisTestNodes nodes = new RedisTestNodes(RedisServer.start())) {
      RedisEngine a = nodes.start("a", new RecordingListener());
      Semaphore window = new Semaphore(256);
      for (int round = 0; round < 2; round++) { // the first round warms up
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        long until = start + TimeUnit.SECONDS.toNanos(3);
        int sent = 0;
        while (System.nanoTime() < until && sent < 200_000) {
          window.acquire();
          sent++;
          a.streams().publish(post(0)).whenComplete((r, e) -> {
            done.incrementAndGet();
            window.release();
          });
        }
        window.acquire(256);
        window.release(256);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("measure.publish round=%d messages=%d seconds=%.2f per_second=%.0f%n",
            round, done.get(), seconds, done.get() / seconds);
      }
      System.out.println("measure.stream_length="
          + nodes.server.command("XLEN", "realtime:stream:feed"));
      // Redis's own time per script call: a figure the load of the machine hardly changes
      for (String line : nodes.server.command("INFO", "commandstats").split("\r\n")) {
        if (line.startsWith("cmdstat_evalsha") || line.startsWith("cmdstat_eval:")) {
          System.out.println("measure.redis " + line);
        }
      }
      System.out.println("measure.load " + java.nio.file.Files.readString(
          java.nio.file.Path.of("/proc/loadavg")).trim());
    }
  }

  /** The same schedule over bare Lettuce (PUBLISH, a listener on the event loop): a baseline. */
  @Test
  void baselineBareLettucePublishToReceiveLatency() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(server.url());
      try {
        var sub = client.connectPubSub();
        var pub = client.connect();
        int total = 8000;
        long[] latency = new long[total];
        AtomicInteger received = new AtomicInteger();
        sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<String, String>() {
          @Override
          public void message(String channel, String message) {
            int i = received.getAndIncrement();
            if (i < total) {
              latency[i] = System.nanoTime() - Long.parseLong(message);
            }
          }
        });
        sub.sync().subscribe("bare");
        long start = System.nanoTime();
        for (int n = 0; n < total; n++) {
          long due = start + n * 1_000_000L;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
          pub.async().publish("bare", String.valueOf(System.nanoTime()));
        }
        Eventually.await(Duration.ofSeconds(10), () -> received.get() >= total, () -> "all");
        long[] warm = Arrays.copyOfRange(latency, 1000, total);
        Arrays.sort(warm);
        System.out.println("measure.load " + java.nio.file.Files.readString(
            java.nio.file.Path.of("/proc/loadavg")).trim());
        System.out.printf("measure.baseline messages=%d p50_us=%d p99_us=%d p999_us=%d"
            + " max_us=%d%n", warm.length, warm[warm.length / 2] / 1000,
            warm[(int) (warm.length * 0.99)] / 1000, warm[(int) (warm.length * 0.999)] / 1000,
            warm[warm.length - 1] / 1000);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void publishToReceiveLatencyAcrossTwoClientsAtAThousandPerSecond() throws Exception {
    try (RedisTestNodes nodes = new RedisTestNodes(RedisServer.start())) {
      int total = 8000;
      long[] latency = new long[total];
      AtomicInteger received = new AtomicInteger();
      RecordingListener ignore = new RecordingListener();
      RedisListener timing = new RedisListener() {
        @Override
        public void topicMessage(Envelope m, String origin) {
          String p = m.payload().text();
          long sent = Long.parseLong(p.substring(8, p.indexOf(',')));
          int i = received.getAndIncrement();
          if (i < total) {
            latency[i] = System.nanoTime() - sent;
          }
        }

        @Override
        public void sharedMessage(Envelope m, String origin) {}

        @Override
        public void nodeCommand(NodeCommand c, String origin) {}

        @Override
        public void historyLost(TopicName t, StreamPosition last) {}

        @Override
        public void presenceChanged(TopicName t, io.realtime.domain.UserId u, boolean joined,
            String origin) {}
      };
      RedisEngine a = nodes.start("a", ignore);
      RedisEngine b = nodes.start("b", timing);
      join(b.subscriptions().subscribe(FEED));
      long start = System.nanoTime();
      CompletableFuture<?> last = null;
      for (int n = 0; n < total; n++) {
        long due = start + n * 1_000_000L; // one per millisecond
        long wait;
        while ((wait = due - System.nanoTime()) > 0) { // park, not spin: 2 cores are shared
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        last = a.streams().publish(post(System.nanoTime()));
      }
      join(last);
      Eventually.await(Duration.ofSeconds(10), () -> received.get() >= total, () -> "all");
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] warm = Arrays.copyOfRange(latency, 1000, total); // first second warms up
      Arrays.sort(warm);
      System.out.println("measure.load " + java.nio.file.Files.readString(
          java.nio.file.Path.of("/proc/loadavg")).trim());
      System.out.printf("measure.latency messages=%d rate=%.0f/s p50_us=%d p99_us=%d"
          + " p999_us=%d max_us=%d%n", warm.length, total / seconds,
          warm[warm.length / 2] / 1000, warm[(int) (warm.length * 0.99)] / 1000,
          warm[(int) (warm.length * 0.999)] / 1000, warm[warm.length - 1] / 1000);
    }
  }
}
