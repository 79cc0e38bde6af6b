package io.realtime.adapter.web;

import io.realtime.domain.UserId;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's place in the node's budget, made by an accepting handshake: the transport
 * hands it back through {@link WebAdapter#connect} (which claims it and releases it when the
 * socket ends) or {@link WebAdapter#abandon} (an upgrade that failed on the way). Releasing
 * twice, or a reservation that was never taken ({@link #NONE}), does nothing. Thread-safe.
 */
public final class Reservation {
  /** A reservation that holds no place: for an accept made without the node's budget. */
  public static final Reservation NONE = new Reservation(null, null, Long.MAX_VALUE);

  private static final int PENDING = 0;
  private static final int CLAIMED = 1;
  private static final int RELEASED = 2;

  private final ConnectionBudget budget; // null for NONE
  private final UserId user;
  private final long deadlineNanos;
  private final AtomicInteger state = new AtomicInteger(PENDING);

  Reservation(ConnectionBudget budget, UserId user, long deadlineNanos) {
    this.budget = budget;
    this.user = user;
    this.deadlineNanos = deadlineNanos;
  }

  /** Takes the place for an opened socket; false if it lapsed or was released meanwhile. */
  boolean claim() {
    return budget == null || state.compareAndSet(PENDING, CLAIMED);
  }

  /** Gives the place back; only the first call counts. */
  public void release() {
    if (budget != null && state.getAndSet(RELEASED) != RELEASED) {
      budget.release(user);
    }
  }

  boolean isPending() {
    return state.get() == PENDING;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Releases the place if nobody has claimed it: a lapsed lease, or an abandoned upgrade. */
  void lapse() {
    if (budget != null && state.compareAndSet(PENDING, RELEASED)) {
      budget.release(user);
    }
  }

  @Override
  public String toString() {
    return "Reservation[" + (user == null ? "none" : user.value()) + ", " + state.get() + "]";
  }
}
