package io.realtime.tck;

import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.port.out.RealtimeEvents;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the core's closes and drops by reason, so the kit can check what a server recorded. */
public final class CountingEvents implements RealtimeEvents {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public void connectionClosed(Connection connection, CloseReason reason) {
    bump("closed:" + reason.tag());
  }

  @Override
  public void messageDropped(Connection connection, DropReason reason) {
    bump("dropped:" + reason.tag());
  }

  private void bump(String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How often {@code key} happened, e.g. {@code closed:slow_consumer}, {@code dropped:slow_consumer}. */
  public int count(String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }
}
