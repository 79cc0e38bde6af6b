package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final TopicName FEED = new TopicName("feed");
  private static final TopicName NEWS = new TopicName("news");

  private final RoutingTable<String, String> table = new RoutingTable<>();

  private static Connection connection(String id, String user, String... roles) {
    return new Connection(new ConnectionId(id),
        Principal.of(new UserId(user)).withRoles(Set.of(roles)), Map.of(), NOW);
  }

  private static ConnectionId id(String value) {
    return new ConnectionId(value);
  }

  private void add(String id, String user, String... roles) {
    table.add(connection(id, user, roles), "h-" + id);
  }

  private List<String> sorted(Target target) {
    List<String> out = new ArrayList<>(table.recipients(target));
    out.sort(null);
    return out;
  }

  @Test
  void emptyTableHasNoRecipients() {
    assertEquals(List.of(), table.recipients(Target.broadcast()));
    assertEquals(List.of(), table.recipients(Target.user("alice")));
    assertEquals(List.of(), table.recipients(Target.role("admin")));
    assertEquals(List.of(), table.recipients(Target.connection("c1")));
    assertEquals(List.of(), table.recipients(Target.topic("feed")));
    assertEquals(0, table.connectionCount());
    assertEquals(0, table.userCount());
    assertEquals(0, table.topicCount());
  }

  @Test
  void broadcastReachesEveryConnection() {
    add("c1", "alice");
    add("c2", "bob", "admin");
    assertEquals(List.of("h-c1", "h-c2"), sorted(Target.broadcast()));
  }

  @Test
  void userTargetReachesEveryDeviceOfThatUser() {
    add("c1", "alice");
    add("c2", "alice");
    add("c3", "bob");
    assertEquals(List.of("h-c1", "h-c2"), sorted(Target.user("alice")));
    assertEquals(2, table.connectionsOf(new UserId("alice")));
    assertEquals(2, table.userCount());
  }

  @Test
  void roleTargetReachesConnectionsCarryingTheRole() {
    add("c1", "alice", "admin", "staff");
    add("c2", "bob", "staff");
    add("c3", "carol");
    assertEquals(List.of("h-c1"), sorted(Target.role("admin")));
    assertEquals(List.of("h-c1", "h-c2"), sorted(Target.role("staff")));
    assertEquals(List.of(), sorted(Target.role("guest")));
  }

  @Test
  void connectionTargetReachesThatOneConnection() {
    add("c1", "alice");
    add("c2", "alice");
    assertEquals(List.of("h-c2"), sorted(Target.connection("c2")));
    assertEquals(List.of(), sorted(Target.connection("c9")));
  }

  @Test
  void topicTargetReachesSubscribers() {
    add("c1", "alice");
    add("c2", "bob");
    assertTrue(table.subscribe(id("c1"), FEED, "s"));
    assertEquals(List.of("h-c1"), sorted(Target.topic("feed")));
    assertEquals(1, table.subscriberCount(FEED));
    assertEquals(0, table.subscriberCount(NEWS));
    assertEquals(1, table.topicCount());
    assertTrue(table.isSubscribed(id("c1"), FEED));
    assertFalse(table.isSubscribed(id("c2"), FEED));
    assertEquals(Set.of(FEED), table.topicsOf(id("c1")));
  }

  @Test
  void forEachRecipientCountsWhatItHandsOver() {
    add("c1", "alice", "admin");
    add("c2", "alice", "admin");
    List<String> seen = new ArrayList<>();
    assertEquals(2, table.forEachRecipient(Target.role("admin"), seen::add));
    assertEquals(2, seen.size());
    assertEquals(0, table.forEachRecipient(Target.user("nobody"), seen::add));
    assertEquals(1, table.forEachRecipient(Target.connection("c1"), seen::add));
  }

  @Test
  void duplicateAddThrowsAndKeepsTheFirstRegistration() {
    add("c1", "alice", "admin");
    var e = assertThrows(IllegalStateException.class, () -> add("c1", "bob", "staff"));
    assertEquals("connection already registered: c1", e.getMessage());
    assertEquals(List.of("h-c1"), sorted(Target.user("alice")));
    assertEquals(List.of(), sorted(Target.user("bob")));
    assertEquals(List.of(), sorted(Target.role("staff")));
    assertEquals(1, table.connectionCount());
    assertEquals(1, table.userCount());
  }

  @Test
  void subscribeOfUnknownConnectionIsFalseAndIndexesNothing() {
    assertFalse(table.subscribe(id("ghost"), FEED, "s"));
    assertEquals(0, table.topicCount());
    assertEquals(List.of(), sorted(Target.topic("feed")));
  }

  @Test
  void subscribingTwiceIsFalseTheSecondTimeAndCountsOnce() {
    add("c1", "alice");
    assertTrue(table.subscribe(id("c1"), FEED, "s"));
    assertFalse(table.subscribe(id("c1"), FEED, "s"));
    assertEquals(List.of("h-c1"), table.recipients(Target.topic("feed")));
  }

  @Test
  void unsubscribeRemovesFromTheTopicAndForgetsAnEmptyTopic() {
    add("c1", "alice");
    table.subscribe(id("c1"), FEED, "s");
    table.subscribe(id("c1"), NEWS, "s");
    assertTrue(table.unsubscribe(id("c1"), FEED));
    assertEquals(List.of(), sorted(Target.topic("feed")));
    assertEquals(1, table.topicCount());
    assertEquals(Set.of(NEWS), table.topicsOf(id("c1")));
    assertFalse(table.unsubscribe(id("c1"), FEED), "no longer subscribed");
    assertFalse(table.unsubscribe(id("ghost"), NEWS), "unknown connection");
  }

  @Test
  void removeClearsEveryIndex() {
    add("c1", "alice", "admin", "staff");
    add("c2", "bob", "staff");
    table.subscribe(id("c1"), FEED, "s");
    table.subscribe(id("c1"), NEWS, "s");
    table.subscribe(id("c2"), NEWS, "s");
    assertEquals(Optional.of("h-c1"), table.remove(id("c1")));
    assertEquals(List.of("h-c2"), sorted(Target.broadcast()));
    assertEquals(List.of(), sorted(Target.user("alice")));
    assertEquals(List.of(), sorted(Target.role("admin")));
    assertEquals(List.of("h-c2"), sorted(Target.role("staff")));
    assertEquals(List.of(), sorted(Target.connection("c1")));
    assertEquals(List.of(), sorted(Target.topic("feed")));
    assertEquals(List.of("h-c2"), sorted(Target.topic("news")));
    assertEquals(1, table.connectionCount());
    assertEquals(1, table.userCount());
    assertEquals(1, table.topicCount());
    assertEquals(0, table.connectionsOf(new UserId("alice")));
    assertEquals(Optional.empty(), table.connection(id("c1")));
    assertEquals(Optional.empty(), table.handle(id("c1")));
    assertEquals(Set.of(), table.topicsOf(id("c1")));
    assertFalse(table.isSubscribed(id("c1"), FEED));
  }

  @Test
  void removeOfUnknownConnectionIsEmpty() {
    assertEquals(Optional.empty(), table.remove(id("ghost")));
    add("c1", "alice");
    table.remove(id("c1"));
    assertEquals(Optional.empty(), table.remove(id("c1")), "second remove");
  }

  @Test
  void idMayBeRegisteredAgainAfterRemovalWithoutItsOldSubscriptions() {
    add("c1", "alice", "admin");
    table.subscribe(id("c1"), FEED, "s");
    table.remove(id("c1"));
    table.add(connection("c1", "bob"), "second");
    assertEquals(List.of("second"), sorted(Target.connection("c1")));
    assertEquals(List.of(), sorted(Target.topic("feed")));
    assertEquals(List.of(), sorted(Target.role("admin")));
    assertEquals(List.of(), sorted(Target.user("alice")));
    assertEquals(Set.of(), table.topicsOf(id("c1")));
  }

  @Test
  void updateReindexesRoles() {
    add("c1", "alice", "admin", "staff");
    assertTrue(table.update(connection("c1", "alice", "staff", "guest")));
    assertEquals(List.of(), sorted(Target.role("admin")));
    assertEquals(List.of("h-c1"), sorted(Target.role("staff")));
    assertEquals(List.of("h-c1"), sorted(Target.role("guest")));
    assertEquals(Set.of("staff", "guest"), table.connection(id("c1")).orElseThrow().roles());
  }

  @Test
  void updateKeepsUserHandleAndSubscriptions() {
    add("c1", "alice", "admin");
    table.subscribe(id("c1"), FEED, "s");
    table.update(connection("c1", "alice"));
    assertEquals(List.of("h-c1"), sorted(Target.user("alice")));
    assertEquals(List.of("h-c1"), sorted(Target.topic("feed")));
    assertEquals(Optional.of("h-c1"), table.handle(id("c1")));
  }

  @Test
  void removeAfterUpdateClearsTheNewRoles() {
    add("c1", "alice", "admin");
    table.update(connection("c1", "alice", "staff"));
    table.remove(id("c1"));
    assertEquals(List.of(), sorted(Target.role("staff")));
    assertEquals(List.of(), sorted(Target.role("admin")));
  }

  @Test
  void updateOfUnknownConnectionIsFalseAndRegistersNothing() {
    assertFalse(table.update(connection("ghost", "alice", "admin")));
    assertEquals(0, table.connectionCount());
    assertEquals(List.of(), sorted(Target.role("admin")));
    assertEquals(Optional.empty(), table.connection(id("ghost")));
  }

  @Test
  void topicsOfIsAReadOnlyView() {
    add("c1", "alice");
    table.subscribe(id("c1"), FEED, "s");
    assertThrows(UnsupportedOperationException.class,
        () -> table.topicsOf(id("c1")).add(NEWS));
  }

  @Test
  void forEachVisitsEveryHandleOnce() {
    add("c1", "alice");
    add("c2", "bob");
    List<String> seen = new ArrayList<>();
    table.forEach(seen::add);
    seen.sort(null);
    assertEquals(List.of("h-c1", "h-c2"), seen);
  }
}
