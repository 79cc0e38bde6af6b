package io.realtime.adapter.jwt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link HmacTokenIssuer} puts in a token.
 *
 * @param ttl time from issuing to {@code exp}; positive
 * @param extra further claims, written last, so one named like a standard claim replaces it
 *     (tests use this to build wrong tokens); values are JSON: strings, numbers, booleans,
 *     lists and string-keyed maps of those
 */
public record TokenClaims(
    String subject,
    Set<String> roles,
    Set<String> permissions,
    List<String> topics,
    Duration ttl,
    Map<String, Object> extra) {
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  public TokenClaims {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject is blank");
    }
    roles = Set.copyOf(roles);
    permissions = Set.copyOf(permissions);
    topics = List.copyOf(topics);
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    extra = jsonObject(extra, "extra");
  }

  /** A token for {@code subject} with nothing granted, valid for an hour. */
  public static TokenClaims of(String subject) {
    return new TokenClaims(subject, Set.of(), Set.of(), List.of(), DEFAULT_TTL, Map.of());
  }

  public TokenClaims withRoles(Set<String> newRoles) {
    return new TokenClaims(subject, newRoles, permissions, topics, ttl, extra);
  }

  public TokenClaims withPermissions(Set<String> newPermissions) {
    return new TokenClaims(subject, roles, newPermissions, topics, ttl, extra);
  }

  public TokenClaims withTopics(List<String> newTopics) {
    return new TokenClaims(subject, roles, permissions, newTopics, ttl, extra);
  }

  public TokenClaims withTtl(Duration newTtl) {
    return new TokenClaims(subject, roles, permissions, topics, newTtl, extra);
  }

  /** These claims plus {@code name}: {@code value}, replacing an earlier extra of that name. */
  public TokenClaims withClaim(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extra);
    more.put(name, value);
    return new TokenClaims(subject, roles, permissions, topics, ttl, more);
  }

  /** An immutable deep copy, refusing anything JSON cannot carry (including null). */
  private static Map<String, Object> jsonObject(Map<?, ?> map, String where) {
    Objects.requireNonNull(map, where);
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (!(key instanceof String name)) {
        throw new IllegalArgumentException(where + " has a key that is not a string: " + key);
      }
      copy.put(name, json(value, where + "." + name));
    });
    return Map.copyOf(copy);
  }

  private static Object json(Object value, String where) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return jsonObject(map, where);
    }
    if (value instanceof Iterable<?> list) {
      List<Object> copy = new ArrayList<>();
      int index = 0;
      for (Object element : list) {
        copy.add(json(element, where + "[" + index++ + "]"));
      }
      return List.copyOf(copy);
    }
    throw new IllegalArgumentException(where + " is not a JSON value: "
        + (value == null ? "null" : value.getClass().getName()));
  }
}
