package io.realtime.domain;

import java.time.Duration;
import java.time.Instant;

/** Token expiry arithmetic that never overflows on {@link Principal#NEVER}. */
public final class Expiry {
  private Expiry() {}

  /** The instant at which a token expiring at {@code expiresAt} is past its leeway. */
  public static Instant deadline(Instant expiresAt, Duration skew) {
    if (expiresAt.equals(Principal.NEVER)) {
      return Principal.NEVER;
    }
    return expiresAt.plus(skew);
  }

  public static boolean isPast(Instant expiresAt, Instant now, Duration skew) {
    return !now.isBefore(deadline(expiresAt, skew));
  }
}
