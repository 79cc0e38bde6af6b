package io.realtime.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.realtime.port.out.IdempotencyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Idempotency-Key} across nodes. A request first claims the key ({@code SET NX PX}
 * with the body's fingerprint and a claim token), publishes only if it acquired it, then
 * stores its answer in place of the claim for {@link RedisSettings#idempotencyTtl()}. A retry
 * on any node gets the stored answer; the same key with another body is a conflict; a retry
 * while the first is still running is in progress (for at most 30 s, should its node die
 * before completing). A failed publish releases its claim. The answer is kept as
 * {@code <status>\n<body>}.
 *
 * <p>Thread-safe; no method blocks; futures complete on a Netty thread and fail with
 * {@link RedisUnavailableException} when Redis is out of reach.
 */
public final class RedisIdempotency implements IdempotencyStore {
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

  @Override
  public CompletableFuture<Claim> claim(String key, String fingerprint) {
    if (fingerprint.indexOf('\n') >= 0) { // the record separates its fields with line breaks
      throw new IllegalArgumentException("a fingerprint has no line breaks");
    }
    byte[] t = new byte[16];
    RANDOM.nextBytes(t);
    String token = HexFormat.of().formatHex(t);
    return redis.<List<Object>>script(Scripts.IDEMPOTENCY_CLAIM, ScriptOutputType.MULTI,
        new String[] {keys.idempotency(key)}, fingerprint, token, claimTtl())
        .thenApply(reply -> switch ((String) reply.get(0)) {
          case "acquired" -> new Claim.Acquired(key, fingerprint, token);
          case "done" -> new Claim.Replayed(answer((String) reply.get(1)));
          case "conflict" -> new Claim.Conflict();
          case "pending" -> new Claim.InProgress();
          default -> throw new IllegalStateException("unexpected reply " + reply);
        });
  }

  @Override
  public CompletableFuture<Boolean> complete(Claim.Acquired claim, Answer answer) {
    return redis.<Long>script(Scripts.IDEMPOTENCY_COMPLETE, ScriptOutputType.INTEGER,
        new String[] {keys.idempotency(claim.key())}, claim.fingerprint(), claim.token(),
        answer.status() + "\n" + answer.body(), ttl())
        .thenApply(n -> n == 1L);
  }

  @Override
  public CompletableFuture<Boolean> release(Claim.Acquired claim) {
    return redis.<Long>script(Scripts.IDEMPOTENCY_RELEASE, ScriptOutputType.INTEGER,
        new String[] {keys.idempotency(claim.key())}, claim.fingerprint(), claim.token())
        .thenApply(n -> n == 1L);
  }

  private static Answer answer(String stored) {
    int newline = stored.indexOf('\n');
    return new Answer(Integer.parseInt(stored.substring(0, newline)),
        stored.substring(newline + 1));
  }

  /** A claim whose node died mid-publish blocks retries for this long, not the full TTL. */
  private String claimTtl() {
    return String.valueOf(Math.min(settings.idempotencyTtl().toMillis(), CLAIM_TTL_MILLIS));
  }

  private String ttl() {
    return String.valueOf(settings.idempotencyTtl().toMillis());
  }
}
