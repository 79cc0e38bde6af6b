package io.realtime.domain;

import static io.realtime.domain.RoutingModel.connection;
import static io.realtime.domain.RoutingModel.handle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two threads racing on one {@link RoutingTable}, with bounded work and seeded plans: whatever
 * the interleaving, a removed connection is left in no index (RoutingTable's contract: "removing
 * a connection removes every trace of it"), and the survivors agree with {@link RoutingModel}.
 *
 * <p>Both threads walk the connections in the same order, the remover staying just behind the
 * other thread, so that most removals land while that connection is being worked on. The threads
 * are joined before anything is checked; no sleeps.
 */
class RoutingTableRacePropertyTest {
  private static final int CONNECTIONS = 2000;
  /** Bound on a thread's busy wait for the other one, per connection. */
  private static final int SPIN_LIMIT = 100_000;
  private static final long JOIN_MILLIS = 30_000;

  static LongStream seeds() {
    return PropertySchedule.seeds(10);
  }

  private static RoutingModel model() {
    return new RoutingModel(List.of("u0", "u1", "u2", "u3"), List.of("admin", "staff", "guest"),
        List.of("t0", "t1", "t2", "t3"));
  }

  /** One planned operation of the subscribing thread on one connection. */
  private record Op(String kind, String topic, Set<String> roles) {
    @Override
    public String toString() {
      return kind.equals("update") ? "update roles=" + roles : kind + " " + topic;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void removeRacingSubscribeAndRefreshLeavesNoTrace(long seed) throws Exception {
    PropertySchedule s = new PropertySchedule(seed);
    RoutingModel model = model();
    RoutingTable<String, String> table = new RoutingTable<>();
    List<String> ids = new ArrayList<>();
    List<List<Op>> plans = new ArrayList<>();
    boolean[] removes = new boolean[CONNECTIONS];
    Map<String, String> users = new LinkedHashMap<>();
    for (int k = 0; k < CONNECTIONS; k++) {
      String id = "c" + k;
      String user = s.pick(model.users);
      Set<String> roles = s.subset(model.roles);
      table.add(connection(id, user, roles), handle(id));
      model.add(id, user, roles);
      ids.add(id);
      users.put(id, user);
      List<Op> plan = new ArrayList<>();
      for (int n = 1 + s.random.nextInt(4); n > 0; n--) {
        int op = s.random.nextInt(10);
        if (op < 6) {
          plan.add(new Op("subscribe", s.pick(model.topics), null));
        } else if (op < 8) {
          plan.add(new Op("unsubscribe", s.pick(model.topics), null));
        } else {
          plan.add(new Op("update", null, s.subset(model.roles)));
        }
      }
      plans.add(plan);
      removes[k] = s.chance(0.7);
    }
    s.step(CONNECTIONS + " connections c0.. registered with random users and roles");
    s.step("thread A: for each connection in order, 1-4 of subscribe/unsubscribe/update");
    s.step("thread B: for each connection in order, remove about 70% right behind thread A");

    AtomicInteger progress = new AtomicInteger(-1);
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicReferenceArray<Optional<String>> removed = new AtomicReferenceArray<>(CONNECTIONS);
    Runnable subscriber = () -> {
      for (int k = 0; k < CONNECTIONS; k++) {
        progress.set(k);
        ConnectionId id = new ConnectionId(ids.get(k));
        for (Op op : plans.get(k)) {
          switch (op.kind()) {
            case "subscribe" -> table.subscribe(id, new TopicName(op.topic()), "s");
            case "unsubscribe" -> table.unsubscribe(id, new TopicName(op.topic()));
            default -> table.update(connection(id.value(), users.get(id.value()), op.roles()));
          }
        }
      }
    };
    Runnable remover = () -> {
      for (int k = 0; k < CONNECTIONS; k++) {
        if (removes[k]) {
          for (int spins = 0; progress.get() < k && spins < SPIN_LIMIT; spins++) {
            Thread.onSpinWait();
          }
          removed.set(k, table.remove(new ConnectionId(ids.get(k))));
        }
      }
    };
    runTogether(start, subscriber, remover);

    for (int k = 0; k < CONNECTIONS; k++) {
      String id = ids.get(k);
      if (removes[k]) {
        int index = k;
        assertEquals(Optional.of(handle(id)), removed.get(k),
            () -> s.describe("remove " + ids.get(index) + " must return its handle"));
        model.live.remove(id);
      } else {
        RoutingModel.Live c = model.live.get(id);
        for (Op op : plans.get(k)) {
          switch (op.kind()) {
            case "subscribe" -> c.topics.add(op.topic());
            case "unsubscribe" -> c.topics.remove(op.topic());
            default -> c.roles = op.roles();
          }
        }
      }
    }
    Map<String, List<String>> planned = new TreeMap<>();
    for (int k = 0; k < CONNECTIONS; k++) {
      planned.put(ids.get(k), plans.get(k).stream().map(Op::toString).toList());
    }
    assertNoTraceOfRemoved(s, table, model, id -> "thread A planned " + planned.get(id)
        + "; thread B removed it");
    model.check(table, what -> s.describe(what + " disagrees with the model after the race"));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void removeRacingAddLeavesNoTrace(long seed) throws Exception {
    PropertySchedule s = new PropertySchedule(seed);
    RoutingModel model = model();
    RoutingTable<String, String> table = new RoutingTable<>();
    List<String> ids = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<Set<String>> roles = new ArrayList<>();
    for (int k = 0; k < CONNECTIONS; k++) {
      ids.add("c" + k);
      users.add(s.pick(model.users));
      roles.add(s.subset(model.roles));
    }
    s.step("thread A: add c0.." + (CONNECTIONS - 1) + " in order, random users and roles");
    s.step("thread B: remove each c<k> as soon as it is registered (the first remove that"
        + " finds it)");

    CyclicBarrier start = new CyclicBarrier(2);
    AtomicReferenceArray<Optional<String>> removed = new AtomicReferenceArray<>(CONNECTIONS);
    Runnable adder = () -> {
      for (int k = 0; k < CONNECTIONS; k++) {
        table.add(connection(ids.get(k), users.get(k), roles.get(k)), handle(ids.get(k)));
      }
    };
    Runnable remover = () -> {
      for (int k = 0; k < CONNECTIONS; k++) {
        ConnectionId id = new ConnectionId(ids.get(k));
        Optional<String> handle = table.remove(id);
        for (int spins = 0; handle.isEmpty() && spins < SPIN_LIMIT; spins++) {
          Thread.onSpinWait();
          handle = table.remove(id);
        }
        removed.set(k, handle);
      }
    };
    runTogether(start, adder, remover);

    for (int k = 0; k < CONNECTIONS; k++) {
      model.add(ids.get(k), users.get(k), roles.get(k));
      if (removed.get(k).isPresent()) {
        model.live.remove(ids.get(k));
      }
    }
    assertNoTraceOfRemoved(s, table, model,
        id -> "thread A added it, thread B's remove returned its handle");
    model.check(table, what -> s.describe(what + " disagrees with the model after the race"));
  }

  /** Runs both on their own threads, from a common start, and joins them (bounded). */
  private static void runTogether(CyclicBarrier start, Runnable a, Runnable b) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable r : List.of(a, b)) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          r.run();
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "routing-race");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(JOIN_MILLIS);
      assertFalse(t.isAlive(), "a racing thread did not finish within " + JOIN_MILLIS + " ms");
    }
    assertNull(failure.get(), () -> "a racing thread threw " + failure.get());
  }

  /**
   * Fails naming the removed connections still reachable through any target, with the targets
   * that reach them and what was done to them.
   */
  private static void assertNoTraceOfRemoved(PropertySchedule s, RoutingTable<String, String> table,
      RoutingModel model, java.util.function.Function<String, String> history) {
    Map<String, List<String>> leaks = new TreeMap<>();
    for (Target target : model.targets()) {
      for (String h : table.recipients(target)) {
        String id = h.substring(2);
        if (!model.live.containsKey(id)) {
          leaks.computeIfAbsent(id, x -> new ArrayList<>()).add(target.toString());
        }
      }
    }
    if (!leaks.isEmpty()) {
      StringBuilder what = new StringBuilder(leaks.size() + " removed connection(s) still routed:");
      leaks.entrySet().stream().limit(10).forEach(e -> what.append("\n  ").append(e.getKey())
          .append(" reached by ").append(e.getValue()).append("; ")
          .append(history.apply(e.getKey())));
      fail(s.describe(what.toString()));
    }
  }
}
