package io.realtime.bench.load;

import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.TokenClaims;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who is who in a scenario: connection {@code i}'s user, group and topic, each group's publish
 * target, and the token a connection presents. Users are distinct per connection (so the
 * server's per-user connection cap never applies) except in {@code users}, where
 * {@code perUser} consecutive connections share one. Topics are {@code bench:t<g>}; tokens
 * allow {@code bench:*}. Immutable and thread-safe.
 */
final class Plan {
  static final String TOPIC_PREFIX = "bench:t";

  private final Scenario scenario;
  private final int groups;
  private final int perUser;
  private final HmacTokenIssuer issuer;
  private final Duration tokenTtl;

  Plan(LoadOptions options) {
    this.scenario = options.scenario();
    this.perUser = options.perUser();
    this.groups = switch (scenario) {
      case IDLE, BROADCAST, CHURN -> 1;
      case USERS -> (options.connections() + perUser - 1) / perUser;
      case TOPICS -> Math.max(1, options.connections() / options.subscribersPerTopic());
    };
    this.issuer = new HmacTokenIssuer(KeySource.Secret.utf8(options.secret()));
    this.tokenTtl = options.maxRun().plusMinutes(10);
  }

  int groups() {
    return groups;
  }

  /** The group of connection {@code index}; connections opened by churn are all in group 0. */
  int groupOf(int index) {
    return switch (scenario) {
      case IDLE, BROADCAST, CHURN -> 0;
      case USERS -> Math.min(groups - 1, index / perUser);
      case TOPICS -> index % groups;
    };
  }

  String userOf(int index) {
    return scenario == Scenario.USERS ? "u" + groupOf(index) : "u" + index;
  }

  /** The topic connection {@code index} subscribes to, or "" when it subscribes to none. */
  String topicOf(int index) {
    return scenario == Scenario.TOPICS ? TOPIC_PREFIX + groupOf(index) : "";
  }

  String tokenFor(int index) {
    return issuer.issue(TokenClaims.of(userOf(index))
        .withTopics(List.of("bench:*"))
        .withTtl(tokenTtl));
  }

  /** The group the next message goes to. */
  int pickGroup(SplittableRandom random) {
    return groups == 1 ? 0 : random.nextInt(groups);
  }

  /** The {@code target} object of POST /api/v1/messages for a message to {@code group}. */
  String target(int group) {
    return switch (scenario) {
      case IDLE, BROADCAST, CHURN -> "{\"kind\":\"broadcast\"}";
      case USERS -> "{\"kind\":\"user\",\"value\":\"u" + group + "\"}";
      case TOPICS -> "{\"kind\":\"topic\",\"value\":\"" + TOPIC_PREFIX + group + "\"}";
    };
  }
}
