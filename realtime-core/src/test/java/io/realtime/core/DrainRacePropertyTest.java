package io.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.realtime.domain.CloseCode;
import io.realtime.domain.Principal;
import io.realtime.domain.PropertySchedule;
import io.realtime.domain.Target;
import io.realtime.domain.UserId;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.in.QueryStatsUseCase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A drain racing connections being opened (two real threads, bounded work, seeded users and
 * roles): every connection ends closed with 1001, and nothing of any of them stays routable.
 * PROTOCOL.md section 4: "A connection that has closed receives nothing more".
 */
class DrainRacePropertyTest {
  private static final int CONNECTIONS = 2000;
  private static final int MAX_DRAINS = 1_000_000;
  private static final long JOIN_MILLIS = 30_000;
  private static final List<String> USERS = List.of("alice", "bob", "carol");
  private static final List<String> ROLES = List.of("admin", "staff");

  static LongStream seeds() {
    return PropertySchedule.seeds(10);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void drainRacingOpensLeavesNothingRoutable(long seed) throws Exception {
    PropertySchedule s = new PropertySchedule(seed);
    List<Principal> principals = new ArrayList<>();
    for (int k = 0; k < CONNECTIONS; k++) {
      principals.add(CoreFixture.user(s.pick(USERS), s.subset(ROLES).toArray(String[]::new)));
    }
    s.step("thread A: open " + CONNECTIONS + " connections, random users and roles");
    s.step("thread B: drain() over and over until thread A is done (a drain the server API"
        + " or shutdown starts, racing new connections)");

    CoreFixture fx = new CoreFixture();
    try {
      List<CoreFixture.Client> clients = new ArrayList<>();
      AtomicBoolean opened = new AtomicBoolean();
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread opener = thread(start, failure, () -> {
        for (Principal p : principals) {
          clients.add(fx.connect(p));
        }
        opened.set(true);
      });
      Thread drainer = thread(start, failure, () -> {
        for (int i = 0; i < MAX_DRAINS; i++) { // at least once, however fast thread A is
          fx.core.drain().drain();
          if (opened.get()) {
            break;
          }
        }
      });
      for (Thread t : List.of(opener, drainer)) {
        t.join(JOIN_MILLIS);
        assertFalse(t.isAlive(), "a racing thread did not finish within " + JOIN_MILLIS + " ms");
      }
      assertNull(failure.get(), () -> "a racing thread threw " + failure.get());

      for (int k = 0; k < clients.size(); k++) {
        assertEquals(CloseCode.GOING_AWAY, clients.get(k).channel.closedWith(),
            s.failure("connection " + k + " must be closed by the drain"));
      }
      QueryStatsUseCase stats = fx.core.stats();
      List<String> leftovers = new ArrayList<>();
      for (String user : USERS) {
        int n = stats.connectionsOf(new UserId(user));
        if (n != 0) {
          leftovers.add(user + " still counts " + n + " connection(s)");
        }
        int reached = published(fx.publish(Target.user(user), "note", "{}"));
        if (reached != 0) {
          leftovers.add("a message to user " + user + " was offered to " + reached);
        }
      }
      for (String role : ROLES) {
        int reached = published(fx.publish(Target.role(role), "note", "{}"));
        if (reached != 0) {
          leftovers.add("a message to role " + role + " was offered to " + reached);
        }
      }
      assertEquals(List.of(), leftovers, s.failure("closed connections are still routable; "
          + "stats: " + stats.stats()));
      assertEquals(0, stats.stats().connections(), s.failure("connections counted"));
      assertEquals(0, stats.stats().users(), s.failure("users counted"));
    } finally {
      fx.close();
    }
  }

  private static int published(PublishResult result) {
    return assertInstanceOf(PublishResult.Published.class, result).recipients();
  }

  private static Thread thread(CyclicBarrier start, AtomicReference<Throwable> failure,
      Runnable body) {
    Thread t = new Thread(() -> {
      try {
        start.await();
        body.run();
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, "drain-race");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
