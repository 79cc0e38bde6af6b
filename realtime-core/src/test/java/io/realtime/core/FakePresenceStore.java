package io.realtime.core;

import io.realtime.core.embedded.InMemoryPresenceStore;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.out.PresenceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Presence in memory, as a remote store would answer it: while {@link #hold} is set every call
 * waits (unapplied) for {@link #release}, which applies and answers them in call order; while
 * {@link #down} is set every call fails. Counts the calls.
 */
public final class FakePresenceStore implements PresenceStore {
  private final InMemoryPresenceStore state = new InMemoryPresenceStore();
  private final List<Runnable> pending = new ArrayList<>();
  public volatile boolean hold;
  public volatile boolean down;
  public int joins;
  public int leaves;

  @Override
  public CompletionStage<Boolean> join(TopicName topic, UserId user, ConnectionId connection) {
    joins++;
    return answer(() -> state.join(topic, user, connection));
  }

  @Override
  public CompletionStage<Boolean> leave(TopicName topic, UserId user, ConnectionId connection) {
    leaves++;
    return answer(() -> state.leave(topic, user, connection));
  }

  @Override
  public CompletionStage<Set<UserId>> users(TopicName topic) {
    return answer(() -> state.users(topic));
  }

  /** Applies and answers the held calls, in order (calls they cause are held again if hold). */
  public void release() {
    List<Runnable> now;
    synchronized (this) {
      now = new ArrayList<>(pending);
      pending.clear();
    }
    now.forEach(Runnable::run);
  }

  public synchronized int pending() {
    return pending.size();
  }

  private <T> CompletionStage<T> answer(Supplier<CompletionStage<T>> operation) {
    if (down) {
      return CompletableFuture.failedStage(new IllegalStateException("store down"));
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    Runnable run = () -> operation.get().thenAccept(answer::complete);
    synchronized (this) {
      if (hold) {
        pending.add(run);
        return answer;
      }
    }
    run.run();
    return answer;
  }
}
