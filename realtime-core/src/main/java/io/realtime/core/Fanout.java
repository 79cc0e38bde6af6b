package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.RealtimeEvents.DropReason;
import io.realtime.port.out.RealtimeEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * One frame's way to many sessions: offers it to each, and handles the refusals (slow
 * consumers are closed with 1013) only once every recipient was offered it, so a full queue
 * never runs a close (routing removal, presence leaves) in the middle of the fan-out. One
 * publishing thread; not thread-safe.
 */
final class Fanout {
  private final RealtimeEvents events;
  private List<ConnectionSession> refused; // rare: allocated on the first refusal only

  Fanout(RealtimeEvents events) {
    this.events = events;
  }

  void offer(ConnectionSession session, EncodedFrame frame) {
    if (!session.offer(frame)) {
      refuse(session);
    }
  }

  /** Counts the session as one that could not take the frame. */
  void refuse(ConnectionSession session) {
    if (refused == null) {
      refused = new ArrayList<>(2);
    }
    refused.add(session);
  }

  /** Deals with every session that refused the frame. */
  void finish() {
    if (refused != null) {
      refused.forEach(session -> undelivered(session, events));
      refused = null;
    }
  }

  /** A frame the session's queue refused: a slow consumer is closed (1013), else counted. */
  static void undelivered(ConnectionSession session, RealtimeEvents events) {
    if (session.isOpen()) {
      events.messageDropped(session.connection(), DropReason.SLOW_CONSUMER);
      session.close(CloseCode.SLOW_CONSUMER);
    } else {
      events.messageDropped(session.connection(), DropReason.CLOSED);
    }
  }
}
