package io.realtime.adapter.web;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The claims a dev-mode caller asked for: {@code {"sub":"alice","roles":["admin"],
 * "permissions":["realtime:publish"],"topics":["chat:*"],"ttlSeconds":3600}}.
 *
 * @param subject the {@code sub}; never blank
 * @param ttl how long the token lives ({@code ttlSeconds}, one hour by default)
 */
public record DevTokenRequest(String subject, List<String> roles, List<String> permissions,
    List<String> topics, Duration ttl) {
  public DevTokenRequest {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject is blank");
    }
    roles = List.copyOf(roles);
    permissions = List.copyOf(permissions);
    topics = List.copyOf(topics);
    Objects.requireNonNull(ttl, "ttl");
  }
}
