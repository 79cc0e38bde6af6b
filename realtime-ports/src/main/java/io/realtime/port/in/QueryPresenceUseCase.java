package io.realtime.port.in;

import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.util.Set;

/** Who is on a topic: users with at least one subscribed connection. Thread-safe. */
public interface QueryPresenceUseCase {
  Set<UserId> presence(TopicName topic);
}
