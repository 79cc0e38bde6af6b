package io.realtime.core;

import io.realtime.domain.CloseCode;
import io.realtime.domain.Expiry;
import io.realtime.domain.Principal;
import io.realtime.port.out.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Closes a connection with 4001 at its token's {@code exp} + skew, unless a refresh moved it. */
final class ExpiryTimers {
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration skew;

  ExpiryTimers(Scheduler scheduler, Clock clock, Duration skew) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.skew = skew;
  }

  /** (Re)arms the session's timer for its current token; replaces any earlier one. */
  void schedule(ConnectionSession session) {
    Instant deadline = Expiry.deadline(session.connection().expiresAt(), skew);
    if (deadline.equals(Principal.NEVER)) {
      session.expiry(() -> {});
      return;
    }
    Duration delay = Duration.between(clock.instant(), deadline);
    session.expiry(scheduler.schedule(() -> expireIfDue(session), delay));
  }

  private void expireIfDue(ConnectionSession session) {
    if (session.connection().isExpired(clock.instant(), skew)) {
      session.close(CloseCode.TOKEN_EXPIRED);
    } else { // refreshed meanwhile, or the timer fired early
      schedule(session);
    }
  }
}
