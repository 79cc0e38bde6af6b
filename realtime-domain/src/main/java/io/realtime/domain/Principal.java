package io.realtime.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified token speaks for.
 *
 * @param expiresAt the token's {@code exp}, or {@link #NEVER} when it has none
 * @param attributes extra claims a host chose to keep (no secrets)
 */
public record Principal(
    UserId user,
    Set<String> roles,
    Set<String> permissions,
    List<TopicPattern> topics,
    Instant expiresAt,
    Map<String, String> attributes) {
  /** Expiry of a token without {@code exp}. */
  public static final Instant NEVER = Instant.MAX;

  public Principal {
    Objects.requireNonNull(user, "user");
    roles = Set.copyOf(roles);
    permissions = Set.copyOf(permissions);
    topics = List.copyOf(topics);
    Objects.requireNonNull(expiresAt, "expiresAt");
    attributes = Map.copyOf(attributes);
  }

  /** A principal with no roles, permissions, topics, expiry or attributes. */
  public static Principal of(UserId user) {
    return new Principal(user, Set.of(), Set.of(), List.of(), NEVER, Map.of());
  }

  public Principal withRoles(Set<String> newRoles) {
    return new Principal(user, newRoles, permissions, topics, expiresAt, attributes);
  }

  public Principal withPermissions(Set<String> newPermissions) {
    return new Principal(user, roles, newPermissions, topics, expiresAt, attributes);
  }

  public Principal withTopics(List<TopicPattern> newTopics) {
    return new Principal(user, roles, permissions, newTopics, expiresAt, attributes);
  }

  public Principal withExpiry(Instant newExpiry) {
    return new Principal(user, roles, permissions, topics, newExpiry, attributes);
  }

  public boolean hasPermission(String permission) {
    return permissions.contains(permission);
  }
}
