package io.realtime.adapter.jwt;

import java.util.List;
import java.util.Objects;

/**
 * Which claims hold a principal's roles, permissions and topics, and which extra claims to keep
 * as its attributes.
 *
 * <p>A name is first looked up as a top-level claim; if there is none and the name contains
 * dots, it is followed as a path through nested objects ({@code realm_access.roles}, as
 * Keycloak issues). A value may be a JSON array of strings or one space-separated string
 * ({@code "scope": "read write"}, as OAuth issues); an absent claim means none.
 *
 * @param attributes claims copied into {@code Principal.attributes()} under the same name:
 *     strings as they are, numbers and booleans as text, arrays and objects as JSON
 */
public record ClaimMapping(String roles, String permissions, String topics, List<String> attributes) {
  /** {@code roles}, {@code permissions}, {@code topics}, no attributes: PROTOCOL.md section 2. */
  public static final ClaimMapping DEFAULTS =
      new ClaimMapping("roles", "permissions", "topics", List.of());

  public ClaimMapping {
    requireName(roles, "roles");
    requireName(permissions, "permissions");
    requireName(topics, "topics");
    attributes = List.copyOf(attributes);
    attributes.forEach(name -> requireName(name, "attribute"));
  }

  public ClaimMapping withRoles(String claim) {
    return new ClaimMapping(claim, permissions, topics, attributes);
  }

  public ClaimMapping withPermissions(String claim) {
    return new ClaimMapping(roles, claim, topics, attributes);
  }

  public ClaimMapping withTopics(String claim) {
    return new ClaimMapping(roles, permissions, claim, attributes);
  }

  public ClaimMapping withAttributes(List<String> claims) {
    return new ClaimMapping(roles, permissions, topics, claims);
  }

  private static void requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isBlank() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
      throw new IllegalArgumentException("not a claim name or path for " + what + ": '" + name + "'");
    }
  }
}
