package io.realtime.adapter.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.realtime.domain.Principal;
import io.realtime.domain.UserId;
import io.realtime.port.out.UserCheck;
import io.realtime.core.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingUserDirectoryTest {
  /** What a host's store might hold for a user. */
  record Account(boolean disabled, Set<String> roles) {}

  private static final Account UNKNOWN = new Account(true, Set.of());

  private final ManualClock clock = new ManualClock(TestTokens.NOW);
  private final Map<String, Account> store = new HashMap<>();
  private final List<UserId> lookups = new ArrayList<>();
  private RuntimeException outage;

  private final CachingUserDirectory<Account> directory = new CachingUserDirectory<>(
      user -> {
        lookups.add(user);
        if (outage != null) {
          throw outage;
        }
        return store.getOrDefault(user.value(), UNKNOWN);
      },
      (principal, account) -> account.disabled()
          ? new UserCheck.Denied("account disabled")
          : new UserCheck.Allowed(principal.withRoles(account.roles())),
      Duration.ofSeconds(30), 2, clock);

  private static Principal token(String user) {
    return Principal.of(new UserId(user)).withRoles(Set.of("from-token"))
        .withExpiry(TestTokens.NOW.plusSeconds(600));
  }

  @Test
  void enrichesTheVerifiedPrincipalWithCurrentRoles() {
    store.put("alice", new Account(false, Set.of("admin")));

    var allowed = assertInstanceOf(UserCheck.Allowed.class, directory.review(token("alice")));

    assertEquals(Set.of("admin"), allowed.principal().roles());
    assertEquals(TestTokens.NOW.plusSeconds(600), allowed.principal().expiresAt());
  }

  @Test
  void disabledAndUnknownUsersAreDenied() {
    store.put("bob", new Account(true, Set.of()));

    assertEquals(new UserCheck.Denied("account disabled"), directory.review(token("bob")));
    assertEquals(new UserCheck.Denied("account disabled"), directory.review(token("nobody")));
  }

  @Test
  void looksUpOncePerTtl() {
    store.put("alice", new Account(false, Set.of("admin")));

    directory.review(token("alice"));
    clock.advance(Duration.ofSeconds(29));
    directory.review(token("alice"));
    assertEquals(1, lookups.size());

    clock.advance(Duration.ofSeconds(1));
    store.put("alice", new Account(true, Set.of()));
    assertEquals(new UserCheck.Denied("account disabled"), directory.review(token("alice")));
    assertEquals(2, lookups.size());
  }

  @Test
  void decidesAfreshFromEachPrincipalEvenWhenCached() {
    store.put("alice", new Account(false, Set.of("admin")));
    directory.review(token("alice"));

    Principal later = token("alice").withExpiry(TestTokens.NOW.plusSeconds(900));
    var allowed = assertInstanceOf(UserCheck.Allowed.class, directory.review(later));

    assertEquals(TestTokens.NOW.plusSeconds(900), allowed.principal().expiresAt());
    assertEquals(1, lookups.size());
  }

  @Test
  void invalidateForcesALookup() {
    store.put("alice", new Account(false, Set.of("admin")));
    directory.review(token("alice"));
    store.put("alice", new Account(true, Set.of()));

    directory.invalidate(new UserId("alice"));

    assertEquals(new UserCheck.Denied("account disabled"), directory.review(token("alice")));
  }

  @Test
  void keepsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
    for (String user : List.of("a", "b")) {
      store.put(user, new Account(false, Set.of()));
      directory.review(token(user));
    }
    directory.review(token("a")); // b is now the least recently used
    store.put("c", new Account(false, Set.of()));
    directory.review(token("c"));

    assertEquals(2, directory.size());
    lookups.clear();
    directory.review(token("a"));
    directory.review(token("b"));
    assertEquals(List.of(new UserId("b")), lookups);
  }

  @Test
  void failingLookupDeniesAndCachesNothing() {
    outage = new IllegalStateException("db down");

    assertInstanceOf(UserCheck.Denied.class, directory.review(token("alice")));
    assertEquals(0, directory.size());

    outage = null;
    store.put("alice", new Account(false, Set.of("admin")));
    assertInstanceOf(UserCheck.Allowed.class, directory.review(token("alice")));
  }

  @Test
  void nullFromTheLookupDenies() {
    var nulls = new CachingUserDirectory<Account>(user -> null,
        (principal, account) -> new UserCheck.Allowed(principal), Duration.ofSeconds(1), 10, clock);

    assertInstanceOf(UserCheck.Denied.class, nulls.review(token("alice")));
  }

  @Test
  void failingReviewDenies() {
    var broken = new CachingUserDirectory<Account>(user -> UNKNOWN,
        (principal, account) -> {
          throw new IllegalStateException("bug in the host's rule");
        }, Duration.ofSeconds(1), 10, clock);

    assertInstanceOf(UserCheck.Denied.class, broken.review(token("alice")));
  }

  @Test
  void impossibleSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CachingUserDirectory<Account>(
        user -> UNKNOWN, (p, a) -> new UserCheck.Allowed(p), Duration.ZERO, 10));
    assertThrows(IllegalArgumentException.class, () -> new CachingUserDirectory<Account>(
        user -> UNKNOWN, (p, a) -> new UserCheck.Allowed(p), Duration.ofSeconds(1), 0));
  }
}
