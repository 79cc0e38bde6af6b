package io.realtime.domain;

import java.util.Objects;

/** Where a message goes: exactly one of five kinds (PROTOCOL.md section 4). */
public sealed interface Target {
  RouteKind kind();

  /** Every connection on every node. */
  record Broadcast() implements Target {
    @Override
    public RouteKind kind() {
      return RouteKind.BROADCAST;
    }
  }

  /** Every connection of one user: all their devices. */
  record User(UserId id) implements Target {
    public User {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public RouteKind kind() {
      return RouteKind.USER;
    }
  }

  /** Every connection whose token carries the role. */
  record Role(String name) implements Target {
    public Role {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("role is blank");
      }
    }

    @Override
    public RouteKind kind() {
      return RouteKind.ROLE;
    }
  }

  /** That one connection, such as a job's progress for the tab that started it. */
  record Connection(ConnectionId id) implements Target {
    public Connection {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public RouteKind kind() {
      return RouteKind.CONNECTION;
    }
  }

  /** Every connection subscribed to the topic. */
  record Topic(TopicName name) implements Target {
    public Topic {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public RouteKind kind() {
      return RouteKind.TOPIC;
    }
  }

  static Target broadcast() {
    return new Broadcast();
  }

  static Target user(String id) {
    return new User(new UserId(id));
  }

  static Target role(String name) {
    return new Role(name);
  }

  static Target connection(String id) {
    return new Connection(new ConnectionId(id));
  }

  static Target topic(String name) {
    return new Topic(new TopicName(name));
  }
}
