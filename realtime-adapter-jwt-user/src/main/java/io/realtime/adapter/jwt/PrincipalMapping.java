package io.realtime.adapter.jwt;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.realtime.domain.Principal;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.out.AuthFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the principal from a verified token's claims, by the {@link ClaimMapping}. Immutable
 * and thread-safe. A claim of the wrong type, or a topic pattern the domain refuses, refuses
 * the whole token as {@link AuthFailure#MALFORMED}, naming the claim: granting less than the
 * issuer meant would fail later and more confusingly.
 */
final class PrincipalMapping {
  private final ClaimMapping mapping;

  PrincipalMapping(ClaimMapping mapping) {
    this.mapping = mapping;
  }

  Principal principal(JWTClaimsSet claims, Instant expiresAt) throws Rejection {
    Map<String, Object> all = claims.getClaims();
    UserId user = new UserId(claims.getSubject()); // ClaimsPolicy made sure it is not blank
    Set<String> roles = new LinkedHashSet<>(names(all, mapping.roles()));
    Set<String> permissions = new LinkedHashSet<>(names(all, mapping.permissions()));
    List<TopicPattern> topics = new ArrayList<>();
    for (String pattern : names(all, mapping.topics())) {
      try {
        topics.add(new TopicPattern(pattern));
      } catch (IllegalArgumentException e) {
        throw malformed(mapping.topics(), "holds a pattern with '*' not at its end");
      }
    }
    Map<String, String> attributes = new HashMap<>();
    for (String name : mapping.attributes()) {
      Optional<Object> value = find(all, name);
      if (value.isPresent()) {
        attributes.put(name, text(value.get()));
      }
    }
    return new Principal(user, roles, permissions, topics, expiresAt, attributes);
  }

  /**
   * The strings of a claim: a JSON array of strings, or one space-separated string. Blank
   * entries grant nothing and are skipped; an absent or null claim is no names.
   */
  private static List<String> names(Map<String, Object> claims, String name) throws Rejection {
    Optional<Object> found = find(claims, name);
    if (found.isEmpty()) {
      return List.of();
    }
    Object value = found.get();
    List<String> names = new ArrayList<>();
    if (value instanceof String text) {
      for (String part : text.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          names.add(part);
        }
      }
      return names;
    }
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (!(element instanceof String text)) {
          throw malformed(name, "must hold only strings");
        }
        if (!text.isBlank()) {
          names.add(text);
        }
      }
      return names;
    }
    throw malformed(name, "must be an array of strings or a space-separated string");
  }

  /**
   * A claim by name: the top-level claim of that exact name if there is one (names such as
   * {@code https://example.com/roles} contain dots), else the dotted path through objects.
   */
  private static Optional<Object> find(Map<String, Object> claims, String name) throws Rejection {
    if (claims.containsKey(name) || name.indexOf('.') < 0) {
      return Optional.ofNullable(claims.get(name));
    }
    Object node = claims;
    String[] steps = name.split("\\.");
    for (int i = 0; i < steps.length; i++) {
      if (!(node instanceof Map<?, ?> object)) {
        throw malformed(name, "cannot be read: " + String.join(".", List.of(steps).subList(0, i))
            + " is not an object");
      }
      node = object.get(steps[i]);
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  private static String text(Object value) {
    if (value instanceof Map<?, ?> object) {
      @SuppressWarnings("unchecked") // Nimbus parses JSON objects to Map<String, Object>
      Map<String, Object> json = (Map<String, Object>) object;
      return JSONObjectUtils.toJSONString(json);
    }
    if (value instanceof List<?> array) {
      return JSONArrayUtils.toJSONString(array);
    }
    if (value instanceof Date date) { // Nimbus hands exp, nbf and iat over as dates
      return Long.toString(date.toInstant().getEpochSecond());
    }
    return String.valueOf(value); // strings as they are; numbers and booleans as JSON prints them
  }

  private static Rejection malformed(String claim, String problem) {
    return new Rejection(AuthFailure.MALFORMED, "claim '" + claim + "' " + problem);
  }
}
