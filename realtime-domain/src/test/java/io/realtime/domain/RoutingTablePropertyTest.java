package io.realtime.domain;

import static io.realtime.domain.RoutingModel.connection;
import static io.realtime.domain.RoutingModel.handle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random schedules of add / remove / subscribe / unsubscribe / update against {@link
 * RoutingModel}: after every step, every target's recipients equal a brute-force filter over
 * the live connections, and so do the counts (STYLE.md "Properties").
 */
class RoutingTablePropertyTest {
  private static final int STEPS = 80;

  static LongStream seeds() {
    return PropertySchedule.seeds(200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyTargetRoutesToWhatABruteForceFilterFinds(long seed) {
    PropertySchedule s = new PropertySchedule(seed);
    RoutingModel model = new RoutingModel(
        List.of("u0", "u1", "u2"), List.of("admin", "staff", "guest"), List.of("t0", "t1", "t2"));
    RoutingTable<String, String> table = new RoutingTable<>();

    for (int step = 0; step < STEPS; step++) {
      int op = s.random.nextInt(100);
      if (op < 25 || model.everUsed.isEmpty()) {
        // usually a fresh id, sometimes one removed before: a returning id starts clean
        List<String> removed =
            model.everUsed.stream().filter(id -> !model.live.containsKey(id)).toList();
        String id = !removed.isEmpty() && s.chance(0.2) ? s.pick(removed)
            : "c" + model.everUsed.size();
        String user = s.pick(model.users);
        Set<String> roles = s.subset(model.roles);
        s.step("add " + id + " user=" + user + " roles=" + roles);
        table.add(connection(id, user, roles), handle(id));
        model.add(id, user, roles);
      } else if (op < 30) {
        String id = s.pick(model.everUsed);
        if (!model.live.containsKey(id)) {
          continue; // only a duplicate of a registered id is interesting here
        }
        String user = s.pick(model.users);
        s.step("add " + id + " again, user=" + user + " (registered: must throw)");
        assertThrows(IllegalStateException.class,
            () -> table.add(connection(id, user, Set.of("admin")), "dup"),
            s.failure("duplicate add must throw"));
      } else if (op < 45) {
        String id = pickId(s, model);
        s.step("remove " + id);
        Optional<String> expected =
            model.live.containsKey(id) ? Optional.of(handle(id)) : Optional.empty();
        assertEquals(expected, table.remove(new ConnectionId(id)),
            s.failure("remove " + id + " returns its handle only if registered"));
        model.live.remove(id);
      } else if (op < 70) {
        String id = pickId(s, model);
        String topic = s.pick(model.topics);
        s.step("subscribe " + id + " " + topic);
        RoutingModel.Live c = model.live.get(id);
        boolean expected = c != null && !c.topics.contains(topic);
        assertEquals(expected, table.subscribe(new ConnectionId(id), new TopicName(topic), "s"),
            s.failure("subscribe " + id + " " + topic + ": true only if registered and new"));
        if (c != null) {
          c.topics.add(topic);
        }
      } else if (op < 85) {
        String id = pickId(s, model);
        String topic = s.pick(model.topics);
        s.step("unsubscribe " + id + " " + topic);
        RoutingModel.Live c = model.live.get(id);
        boolean expected = c != null && c.topics.contains(topic);
        assertEquals(expected, table.unsubscribe(new ConnectionId(id), new TopicName(topic)),
            s.failure("unsubscribe " + id + " " + topic + ": true only if subscribed"));
        if (c != null) {
          c.topics.remove(topic);
        }
      } else {
        // a token refresh keeps the user (Connection.withPrincipal enforces it)
        String id = pickId(s, model);
        RoutingModel.Live c = model.live.get(id);
        String user = c != null ? c.user : s.pick(model.users);
        Set<String> roles = s.subset(model.roles);
        s.step("update " + id + " roles=" + roles);
        assertEquals(c != null, table.update(connection(id, user, roles)),
            s.failure("update " + id + ": true only if registered"));
        if (c != null) {
          c.roles = roles;
        }
      }
      model.check(table, what -> s.describe(what + " disagrees with the model"));
    }
  }

  /** A known id (registered or removed) most of the time, else one never registered. */
  private static String pickId(PropertySchedule s, RoutingModel model) {
    return s.chance(0.9) ? s.pick(model.everUsed) : RoutingModel.NO_CONNECTION;
  }
}
