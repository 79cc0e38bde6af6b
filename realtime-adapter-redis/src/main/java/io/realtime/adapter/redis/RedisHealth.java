package io.realtime.adapter.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Whether this node reaches Redis: both connections connected and the last probe of its own
 * subscription came back. Goes down as soon as a connection drops (Lettuce notices a closed
 * socket at once; a silent one within a probe timeout) and up when both are back.
 *
 * <p>Thread-safe. Listeners are told of every change, in order, on the engine's timer thread.
 */
public final class RedisHealth {
  private final Executor notifier;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private boolean commands;
  private boolean subscriptions;
  private boolean probe = true;
  private boolean up;

  RedisHealth(Executor notifier) {
    this.notifier = notifier;
  }

  /** True while publishes, reads and subscriptions can be expected to work. */
  public synchronized boolean up() {
    return up;
  }

  /** Tells {@code listener} of each later change (true: up). */
  public void addListener(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  synchronized void commands(boolean connected) {
    commands = connected;
    update();
  }

  synchronized void subscriptions(boolean connected) {
    subscriptions = connected;
    update();
  }

  synchronized void probe(boolean ok) {
    probe = ok;
    update();
  }

  private void update() {
    boolean now = commands && subscriptions && probe;
    if (now != up) {
      up = now;
      try {
        notifier.execute(() -> listeners.forEach(l -> l.accept(now)));
      } catch (RuntimeException rejected) {
        // the engine is closing: nobody is left to tell
      }
    }
  }
}
