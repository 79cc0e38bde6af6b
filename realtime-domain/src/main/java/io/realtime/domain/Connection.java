package io.realtime.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One accepted connection as the core sees it. Immutable: a token refresh makes a new value.
 *
 * @param metadata transport facts worth keeping (remote address, user agent); never tokens
 */
public record Connection(
    ConnectionId id, Principal principal, Map<String, String> metadata, Instant openedAt) {
  public Connection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principal, "principal");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(openedAt, "openedAt");
  }

  public UserId user() {
    return principal.user();
  }

  public java.util.Set<String> roles() {
    return principal.roles();
  }

  public Instant expiresAt() {
    return principal.expiresAt();
  }

  public boolean hasPermission(String permission) {
    return principal.hasPermission(permission);
  }

  /** Whether the token's {@code topics} patterns allow this connection to use {@code topic}. */
  public boolean mayAccess(TopicName topic) {
    for (TopicPattern pattern : principal.topics()) {
      if (pattern.matches(topic, principal.user())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the token has expired at {@code now}, allowing {@code skew} of leeway. */
  public boolean isExpired(Instant now, Duration skew) {
    return Expiry.isPast(principal.expiresAt(), now, skew);
  }

  /** The same connection carrying a refreshed token's claims. */
  public Connection withPrincipal(Principal refreshed) {
    if (!refreshed.user().equals(principal.user())) {
      throw new IllegalArgumentException("a refresh must keep the user");
    }
    return new Connection(id, refreshed, metadata, openedAt);
  }
}
