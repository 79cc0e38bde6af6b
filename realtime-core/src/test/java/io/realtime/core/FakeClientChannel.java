package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.port.out.ClientChannel;
import io.realtime.port.out.EncodedFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * A client channel with a bounded queue that a test "writes" by calling {@link #flush} (or
 * that flushes on every offer when {@code autoFlush}). Records frames, pings and the close.
 * Thread-safe.
 */
public final class FakeClientChannel implements ClientChannel {
  private final int capacity;
  private final boolean autoFlush;
  private final List<EncodedFrame> queued = new ArrayList<>();
  private final List<EncodedFrame> written = new ArrayList<>();
  private CloseCode closedWith;
  private int pings;

  public FakeClientChannel(int capacity, boolean autoFlush) {
    this.capacity = capacity;
    this.autoFlush = autoFlush;
  }

  /** A reader that keeps up: every offered frame is written at once. */
  public static FakeClientChannel reading() {
    return new FakeClientChannel(Integer.MAX_VALUE, true);
  }

  /** A reader that stopped reading: {@code capacity} frames fit, then offers fail. */
  public static FakeClientChannel stalled(int capacity) {
    return new FakeClientChannel(capacity, false);
  }

  @Override
  public synchronized boolean offer(EncodedFrame frame) {
    if (closedWith != null || queued.size() >= capacity) {
      return false;
    }
    queued.add(frame);
    if (autoFlush) {
      flush();
    }
    return true;
  }

  @Override
  public synchronized void close(CloseCode code, String reason) {
    if (closedWith == null) {
      closedWith = code;
      if (code.flushesQueue()) {
        flush();
      } else {
        queued.clear();
      }
    }
  }

  @Override
  public synchronized void ping() {
    pings++;
  }

  @Override
  public synchronized boolean isOpen() {
    return closedWith == null;
  }

  /** Writes everything queued. */
  public synchronized void flush() {
    written.addAll(queued);
    queued.clear();
  }

  /** Frames written so far, in order. */
  public synchronized List<EncodedFrame> written() {
    return new ArrayList<>(written);
  }

  public synchronized CloseCode closedWith() {
    return closedWith;
  }

  public synchronized int pings() {
    return pings;
  }
}
