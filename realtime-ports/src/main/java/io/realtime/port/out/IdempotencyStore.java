package io.realtime.port.out;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * First answers of the server API by {@code Idempotency-Key} (PROTOCOL.md sections 5 and 8).
 * A request first {@linkplain #claim claims} its key, runs only if it acquired it, then
 * {@linkplain #complete completes} the claim with its answer, or {@linkplain #release
 * releases} it when it failed so that a retry may run. A store shared by several nodes makes a
 * retry on any node get the first answer.
 *
 * <p>Thread-safe; no method blocks. A remote store's futures fail when it is out of reach,
 * within 2 seconds, and may complete on its I/O threads: continuations must be short and never
 * block (a caller that waits does so with {@code get} on a thread of its own).
 */
public interface IdempotencyStore {
  /**
   * Claims {@code key} for a request whose body has {@code fingerprint}.
   *
   * @param key the key as scoped by the caller (two backends choosing the same key are apart)
   * @param fingerprint identifies the request body: a short text without line breaks, such as
   *     its SHA-256 in hex
   */
  CompletionStage<Claim> claim(String key, String fingerprint);

  /**
   * Stores the first answer in place of the claim, for the rest of the store's window; false
   * when the claim had lapsed or was not this one (nothing stored).
   */
  CompletionStage<Boolean> complete(Claim.Acquired claim, Answer answer);

  /**
   * Gives the key back after a request that failed, so a retry may run; false when the claim
   * had lapsed or was not this one.
   */
  CompletionStage<Boolean> release(Claim.Acquired claim);

  /** The first request's answer: its HTTP status and body (JSON text). */
  record Answer(int status, String body) {
    public Answer {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status must be 100..599");
      }
      Objects.requireNonNull(body, "body");
    }
  }

  /** What claiming a key found. */
  sealed interface Claim {
    /** First use of the key: run the request, then complete with its answer (or release). */
    record Acquired(String key, String fingerprint, String token) implements Claim {
      public Acquired {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(token, "token");
      }
    }

    /** The key was used with the same body: give this answer, run nothing. */
    record Replayed(Answer answer) implements Claim {
      public Replayed {
        Objects.requireNonNull(answer, "answer");
      }
    }

    /** The key was used with another body: refuse the request. */
    record Conflict() implements Claim {}

    /** A request with this key and body is running right now: claim again a little later. */
    record InProgress() implements Claim {}
  }
}
