package io.realtime.adapter.redis;

import java.util.Objects;

/** The answer to claiming an {@code Idempotency-Key} (see {@link RedisIdempotency}). */
public sealed interface IdempotencyClaim {
  /** First use of the key: publish, then {@code complete} with the answer (or release). */
  record Acquired(String key, String bodyHash, String token) implements IdempotencyClaim {
    public Acquired {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(bodyHash, "bodyHash");
      Objects.requireNonNull(token, "token");
    }
  }

  /** The key was used with the same body: answer this, publish nothing. */
  record Replayed(String answer) implements IdempotencyClaim {
    public Replayed {
      Objects.requireNonNull(answer, "answer");
    }
  }

  /** The key was used with another body: refuse the request. */
  record Conflict() implements IdempotencyClaim {}

  /** Another request with this key is being handled right now: retry later. */
  record InProgress() implements IdempotencyClaim {}
}
