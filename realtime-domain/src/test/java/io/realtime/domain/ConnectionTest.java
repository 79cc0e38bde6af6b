package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionTest {
  private static final Instant OPENED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXP = Instant.parse("2026-01-01T01:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(5);
  private static final UserId ALICE = new UserId("alice");

  private static Connection connection(Principal principal) {
    return new Connection(new ConnectionId("c1"), principal, Map.of("ip", "10.0.0.1"), OPENED);
  }

  private static Principal alice(String... patterns) {
    return Principal.of(ALICE).withRoles(Set.of("admin"))
        .withTopics(java.util.Arrays.stream(patterns).map(TopicPattern::new).toList());
  }

  @Test
  void mayAccessATopicAnyPatternAllows() {
    Connection c = connection(alice("news", "user:{sub}:*"));
    assertTrue(c.mayAccess(new TopicName("news")));
    assertTrue(c.mayAccess(new TopicName("user:alice:inbox")));
    assertFalse(c.mayAccess(new TopicName("user:bob:inbox")));
    assertFalse(c.mayAccess(new TopicName("sports")));
  }

  @Test
  void tokenWithoutTopicsMayAccessNothing() {
    assertFalse(connection(alice()).mayAccess(new TopicName("news")));
  }

  @Test
  void userRolesAndPermissionsComeFromThePrincipal() {
    Connection c = connection(alice().withPermissions(Set.of(Permissions.PUBLISH)));
    assertEquals(ALICE, c.user());
    assertEquals(Set.of("admin"), c.roles());
    assertTrue(c.hasPermission("realtime:publish"));
    assertFalse(c.hasPermission(Permissions.ADMIN));
  }

  @Test
  void withPrincipalKeepsIdMetadataAndOpenedAt() {
    Connection c = connection(alice("news"));
    Principal refreshed = Principal.of(ALICE).withRoles(Set.of("staff")).withExpiry(EXP);
    Connection after = c.withPrincipal(refreshed);
    assertEquals(c.id(), after.id());
    assertEquals(c.metadata(), after.metadata());
    assertEquals(c.openedAt(), after.openedAt());
    assertEquals(refreshed, after.principal());
    assertEquals(Set.of("staff"), after.roles());
    assertEquals(EXP, after.expiresAt());
  }

  @Test
  void withPrincipalRefusesAnotherUser() {
    Connection c = connection(alice("news"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> c.withPrincipal(Principal.of(new UserId("bob"))));
    assertEquals("a refresh must keep the user", e.getMessage());
  }

  @Test
  void isExpiredOnlyOnceExpiryPlusSkewIsReached() {
    Connection c = connection(alice().withExpiry(EXP));
    assertFalse(c.isExpired(EXP.minusSeconds(1), SKEW));
    assertFalse(c.isExpired(EXP, SKEW), "within the skew");
    assertFalse(c.isExpired(EXP.plus(SKEW).minusNanos(1), SKEW));
    assertTrue(c.isExpired(EXP.plus(SKEW), SKEW), "expired exactly at exp + skew");
    assertTrue(c.isExpired(EXP.plusSeconds(3600), SKEW));
  }

  @Test
  void withoutSkewExpiresExactlyAtExp() {
    Connection c = connection(alice().withExpiry(EXP));
    assertFalse(c.isExpired(EXP.minusNanos(1), Duration.ZERO));
    assertTrue(c.isExpired(EXP, Duration.ZERO));
  }

  @Test
  void tokenWithoutExpiryNeverExpires() {
    Connection c = connection(alice());
    assertEquals(Principal.NEVER, c.expiresAt());
    assertFalse(c.isExpired(OPENED, SKEW));
    assertFalse(c.isExpired(Instant.parse("+100000-01-01T00:00:00Z"), SKEW));
    assertFalse(c.isExpired(Instant.MAX.minusSeconds(1), Duration.ofDays(365)));
  }

  @Test
  void metadataIsCopied() {
    Map<String, String> metadata = new HashMap<>(Map.of("ip", "10.0.0.1"));
    Connection c = new Connection(new ConnectionId("c1"), alice(), metadata, OPENED);
    metadata.put("ua", "curl");
    assertEquals(Map.of("ip", "10.0.0.1"), c.metadata());
    assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
  }

  @Test
  void principalCopiesItsCollections() {
    var roles = new java.util.HashSet<>(Set.of("admin"));
    Principal p = new Principal(ALICE, roles, Set.of(), List.of(), Principal.NEVER, Map.of());
    roles.add("root");
    assertEquals(Set.of("admin"), p.roles());
  }
}
