package io.realtime.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Idempotency-Key} across nodes. A request first claims the key ({@code SET NX PX}
 * with the body's hash and a claim token), publishes only if it acquired it, then stores its
 * answer in place of the claim for {@link RedisSettings#idempotencyTtl()}. A retry on any
 * node gets the stored answer; the same key with another body is a conflict; a retry while
 * the first is still running is in progress (for at most 30 s, should its node die before
 * completing). A failed publish releases its claim.
 *
 * <p>Thread-safe; no method blocks; futures complete on a Netty thread.
 */
public final class RedisIdempotency {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long CLAIM_TTL_MILLIS = 30_000;

  private final Commands redis;
  private final RedisKeys keys;
  private final RedisSettings settings;

  RedisIdempotency(Commands redis, RedisKeys keys, RedisSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
  }

  /** The hash of a request body that a claim carries (SHA-256, hex). */
  public static String hash(String body) {
    return RedisKeys.sha256(body);
  }

  /** Claims {@code key} for a request whose body hashes to {@code bodyHash}. */
  public CompletableFuture<IdempotencyClaim> claim(String key, String bodyHash) {
    byte[] t = new byte[16];
    RANDOM.nextBytes(t);
    String token = HexFormat.of().formatHex(t);
    return redis.<List<Object>>script(Scripts.IDEMPOTENCY_CLAIM, ScriptOutputType.MULTI,
        new String[] {keys.idempotency(key)}, bodyHash, token, claimTtl())
        .thenApply(reply -> switch ((String) reply.get(0)) {
          case "acquired" -> new IdempotencyClaim.Acquired(key, bodyHash, token);
          case "done" -> new IdempotencyClaim.Replayed((String) reply.get(1));
          case "conflict" -> new IdempotencyClaim.Conflict();
          case "pending" -> new IdempotencyClaim.InProgress();
          default -> throw new IllegalStateException("unexpected reply " + reply);
        });
  }

  /** Stores the first answer; false if the claim had expired or was not this one. */
  public CompletableFuture<Boolean> complete(IdempotencyClaim.Acquired claim, String answer) {
    return redis.<Long>script(Scripts.IDEMPOTENCY_COMPLETE, ScriptOutputType.INTEGER,
        new String[] {keys.idempotency(claim.key())}, claim.bodyHash(), claim.token(), answer,
        ttl())
        .thenApply(n -> n == 1L);
  }

  /** Gives the key back after a failed publish, so a retry may publish. */
  public CompletableFuture<Boolean> release(IdempotencyClaim.Acquired claim) {
    return redis.<Long>script(Scripts.IDEMPOTENCY_RELEASE, ScriptOutputType.INTEGER,
        new String[] {keys.idempotency(claim.key())}, claim.bodyHash(), claim.token())
        .thenApply(n -> n == 1L);
  }

  /** A claim whose node died mid-publish blocks retries for this long, not the full TTL. */
  private String claimTtl() {
    return String.valueOf(Math.min(settings.idempotencyTtl().toMillis(), CLAIM_TTL_MILLIS));
  }

  private String ttl() {
    return String.valueOf(settings.idempotencyTtl().toMillis());
  }
}
