package io.realtime.bench.load;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;

/**
 * Counts failures by a short reason ({@code http 401}, {@code connect refused}, …) so a report
 * can say why connections or publishes failed without a stack trace per failure.
 * Thread-safe.
 */
final class Failures {
  private static final int MAX_REASONS = 64;

  private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

  void add(String reason) {
    String key = byReason.size() >= MAX_REASONS && !byReason.containsKey(reason) ? "other" : reason;
    byReason.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long total() {
    return byReason.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** The most frequent reasons first, at most {@code limit}. */
  Map<String, Long> top(int limit) {
    Map<String, Long> out = new LinkedHashMap<>();
    byReason.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum())
            .reversed())
        .limit(limit)
        .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
    return out;
  }

  /** A short reason for a connect or send failure. */
  static String reason(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; depth < 8 && t.getCause() != null
        && (t instanceof CompletionException || t instanceof ExecutionException
            || (t instanceof UpgradeException u && u.getResponseStatusCode() <= 0)); depth++) {
      t = t.getCause();
    }
    if (t instanceof UpgradeException u && u.getResponseStatusCode() > 0) {
      return "http " + u.getResponseStatusCode();
    }
    if (t instanceof ConnectException) {
      return "connect refused";
    }
    if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
      return "timeout";
    }
    if (t instanceof ClosedChannelException) {
      return "channel closed";
    }
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    if (message.length() > 80) {
      message = message.substring(0, 80) + "…";
    }
    return t.getClass().getSimpleName() + message;
  }
}
