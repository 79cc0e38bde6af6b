package io.realtime.adapter.web;

import io.realtime.port.out.IdempotencyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * An in-memory store that counts claims (a test may wait for them) and can be switched to
 * fail every call, as a remote store out of reach does.
 */
final class RecordingIdempotencyStore implements IdempotencyStore {
  final IdempotencyStore delegate;
  final Semaphore claims = new Semaphore(0);
  volatile boolean failing;

  RecordingIdempotencyStore(IdempotencyStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<Claim> claim(String key, String fingerprint) {
    claims.release();
    return failing ? unreachable() : delegate.claim(key, fingerprint);
  }

  @Override
  public CompletionStage<Boolean> complete(Claim.Acquired claim, Answer answer) {
    return failing ? unreachable() : delegate.complete(claim, answer);
  }

  @Override
  public CompletionStage<Boolean> release(Claim.Acquired claim) {
    return failing ? unreachable() : delegate.release(claim);
  }

  private static <T> CompletionStage<T> unreachable() {
    return CompletableFuture.failedFuture(new IllegalStateException("store unreachable"));
  }
}
