package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The reference the routing properties compare {@link RoutingTable} with: the live connections
 * as plain values (user, roles, topics), and PROTOCOL.md section 4 read literally as a filter
 * over them. Handles are {@code "h:" + id}.
 */
final class RoutingModel {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  /** Values no schedule uses: they must always route to nobody. */
  static final String NO_USER = "nobody";
  static final String NO_ROLE = "no-role";
  static final String NO_TOPIC = "t-unused";
  static final String NO_CONNECTION = "ghost";

  final List<String> users;
  final List<String> roles;
  final List<String> topics;
  /** Live connections by id, in registration order. */
  final Map<String, Live> live = new LinkedHashMap<>();
  /** Every id ever registered, live or not. */
  final List<String> everUsed = new ArrayList<>();

  RoutingModel(List<String> users, List<String> roles, List<String> topics) {
    this.users = users;
    this.roles = roles;
    this.topics = topics;
  }

  /** One live connection as the model sees it. */
  static final class Live {
    final String user;
    Set<String> roles;
    final Set<String> topics = new LinkedHashSet<>();

    Live(String user, Set<String> roles) {
      this.user = user;
      this.roles = roles;
    }
  }

  static Connection connection(String id, String user, Set<String> roles) {
    return new Connection(new ConnectionId(id),
        Principal.of(new UserId(user)).withRoles(roles), Map.of(), NOW);
  }

  static String handle(String id) {
    return "h:" + id;
  }

  void add(String id, String user, Set<String> roles) {
    live.put(id, new Live(user, roles));
    if (!everUsed.contains(id)) {
      everUsed.add(id);
    }
  }

  /** Every target worth asking: each pool value, one unused value per kind, every known id. */
  List<Target> targets() {
    List<Target> out = new ArrayList<>();
    out.add(Target.broadcast());
    users.forEach(u -> out.add(Target.user(u)));
    out.add(Target.user(NO_USER));
    roles.forEach(r -> out.add(Target.role(r)));
    out.add(Target.role(NO_ROLE));
    topics.forEach(t -> out.add(Target.topic(t)));
    out.add(Target.topic(NO_TOPIC));
    everUsed.forEach(id -> out.add(Target.connection(id)));
    out.add(Target.connection(NO_CONNECTION));
    return out;
  }

  /** The recipients PROTOCOL.md section 4 names, found by looking at every live connection. */
  List<String> bruteForce(Target target) {
    List<String> out = new ArrayList<>();
    live.forEach((id, c) -> {
      boolean receives;
      if (target instanceof Target.Broadcast) {
        receives = true;
      } else if (target instanceof Target.User u) {
        receives = c.user.equals(u.id().value());
      } else if (target instanceof Target.Role r) {
        receives = c.roles.contains(r.name());
      } else if (target instanceof Target.Connection k) {
        receives = id.equals(k.id().value());
      } else if (target instanceof Target.Topic t) {
        receives = c.topics.contains(t.name().value());
      } else {
        throw new AssertionError(target);
      }
      if (receives) {
        out.add(handle(id));
      }
    });
    out.sort(null);
    return out;
  }

  /**
   * Asserts that {@code table} agrees with the model on every target, count and per-connection
   * query; {@code failure} turns what disagreed into the failure message.
   */
  void check(RoutingTable<String, String> table, Function<String, String> failure) {
    for (Target target : targets()) {
      List<String> expected = bruteForce(target);
      List<String> actual = new ArrayList<>(table.recipients(target));
      actual.sort(null);
      assertEquals(expected, actual, () -> failure.apply("recipients of " + target));
    }
    assertEquals(live.size(), table.connectionCount(), () -> failure.apply("connectionCount"));
    Set<String> liveUsers = live.values().stream().map(c -> c.user).collect(Collectors.toSet());
    assertEquals(liveUsers.size(), table.userCount(), () -> failure.apply("userCount"));
    Set<String> liveTopics = new TreeSet<>();
    live.values().forEach(c -> liveTopics.addAll(c.topics));
    assertEquals(liveTopics.size(), table.topicCount(), () -> failure.apply("topicCount"));
    for (String user : with(users, NO_USER)) {
      long n = live.values().stream().filter(c -> c.user.equals(user)).count();
      assertEquals(n, table.connectionsOf(new UserId(user)),
          () -> failure.apply("connectionsOf " + user));
    }
    for (String topic : with(topics, NO_TOPIC)) {
      long n = live.values().stream().filter(c -> c.topics.contains(topic)).count();
      assertEquals(n, table.subscriberCount(new TopicName(topic)),
          () -> failure.apply("subscriberCount " + topic));
    }
    for (String id : with(everUsed, NO_CONNECTION)) {
      ConnectionId cid = new ConnectionId(id);
      Live c = live.get(id);
      assertEquals(c == null ? Optional.empty() : Optional.of(handle(id)), table.handle(cid),
          () -> failure.apply("handle " + id));
      assertEquals(c == null ? Optional.empty() : Optional.of(c.roles),
          table.connection(cid).map(Connection::roles), () -> failure.apply("connection " + id));
      Set<TopicName> expectedTopics = c == null ? Set.of()
          : c.topics.stream().map(TopicName::new).collect(Collectors.toSet());
      assertEquals(expectedTopics, Set.copyOf(table.topicsOf(cid)),
          () -> failure.apply("topicsOf " + id));
      for (String topic : topics) {
        assertEquals(c != null && c.topics.contains(topic),
            table.isSubscribed(cid, new TopicName(topic)),
            () -> failure.apply("isSubscribed " + id + " " + topic));
      }
    }
  }

  private static List<String> with(List<String> values, String extra) {
    List<String> out = new ArrayList<>(values);
    out.add(extra);
    return out;
  }
}
