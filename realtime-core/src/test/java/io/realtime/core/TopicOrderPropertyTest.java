package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several publishers on one topic at once: every subscriber sees one order, the id order, and
 * every message once. The seed picks the publishers, their share of messages and where they
 * pause; the threads themselves race for real.
 */
class TopicOrderPropertyTest {
  static LongStream seeds() {
    return new SplittableRandom(20261202L).longs(12);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everySubscriberSeesTheIdOrderWhateverThePublishers(long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    int publishers = 2 + random.nextInt(3);
    int perPublisher = 100 + random.nextInt(200);
    try (CoreFixture fx = new CoreFixture(b -> b.history(CoreFixture.history(10_000,
        new ManualClock())))) {
      List<CoreFixture.Client> subscribers = new ArrayList<>();
      for (int i = 0; i < 2 + random.nextInt(3); i++) {
        CoreFixture.Client c = fx.connect(user("u" + i));
        c.subscribe("room");
        subscribers.add(c);
      }
      ExecutorService pool = Executors.newFixedThreadPool(publishers);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> published = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
          long pauses = random.nextLong();
          published.add(pool.submit(() -> {
            SplittableRandom own = new SplittableRandom(pauses);
            List<String> ids = new ArrayList<>();
            start.await();
            for (int n = 0; n < perPublisher; n++) {
              ids.add(fx.publishOk(Target.topic("room"), "post", "{}"));
              if (own.nextInt(16) == 0) {
                Thread.yield(); // lets another publisher overtake between append and fan-out
              }
            }
            return ids;
          }));
        }
        start.countDown();
        int total = 0;
        for (Future<List<String>> f : published) {
          total += f.get(30, TimeUnit.SECONDS).size();
        }
        List<String> first = subscribers.get(0).messageIds();
        assertEquals(total, first.size(), "seed " + seed + ": every message once");
        for (int i = 1; i < first.size(); i++) {
          long before = StreamPosition.parse(first.get(i - 1)).orElseThrow().offset();
          long after = StreamPosition.parse(first.get(i)).orElseThrow().offset();
          assertTrue(before < after, "seed " + seed + ": " + first.get(i - 1) + " before "
              + first.get(i));
        }
        for (CoreFixture.Client other : subscribers) {
          List<String> seen = other.messageIds();
          int differs = 0;
          while (differs < first.size() && first.get(differs).equals(seen.get(differs))) {
            differs++;
          }
          assertEquals(first.size(), differs, "seed " + seed + ": one order for all, not "
              + seen.subList(differs, Math.min(seen.size(), differs + 3)));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
