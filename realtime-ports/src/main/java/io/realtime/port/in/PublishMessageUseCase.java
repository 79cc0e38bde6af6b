package io.realtime.port.in;

import io.realtime.domain.ErrorCode;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import java.util.Objects;

/**
 * A backend (or a permitted client) publishes a message to a target. Thread-safe; never
 * blocks: recipients' queues are offered the frame, and slow ones are closed, not waited for.
 * Messages published from one thread reach each connection in that order. In a cluster the
 * publishing thread waits for the shared store, at most 3 s, and a store out of reach gives
 * {@code Rejected(UNAVAILABLE)}: the message reached nobody.
 */
public interface PublishMessageUseCase {
  PublishResult publish(PublishRequest request);

  /** @param payload validated JSON, delivered verbatim */
  record PublishRequest(Target target, String type, RawJson payload) {
    public PublishRequest {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** The outcome of a publish. */
  sealed interface PublishResult {
    /** Published as {@code id}; {@code recipients} counts this node's deliveries. */
    record Published(String id, int recipients) implements PublishResult {
      public Published {
        Objects.requireNonNull(id, "id");
      }
    }

    /** Not published; {@code message} says what was wrong with the request. */
    record Rejected(ErrorCode code, String message) implements PublishResult {
      public Rejected {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
      }
    }
  }
}
