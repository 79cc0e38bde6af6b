package io.realtime.adapter.jwt;

import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;

/**
 * An early refusal while a token is checked; {@link NimbusTokenVerifier#verify} turns it into
 * its answer, so it never leaves this package. Carries no stack trace: refusals are ordinary.
 */
final class Rejection extends Exception {
  private final AuthFailure reason;

  Rejection(AuthFailure reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  Rejection(AuthFailure reason) {
    this(reason, reason.description());
  }

  TokenCheck.Invalid invalid() {
    return new TokenCheck.Invalid(reason, getMessage());
  }
}
