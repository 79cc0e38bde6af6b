package io.realtime.core;

import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.UserCheck;
import io.realtime.port.out.UserDirectory;

/** Token verification followed by the host's user module; every refusal is counted. */
public final class AuthenticationService implements AuthenticateUseCase {
  private final TokenVerifier verifier;
  private final UserDirectory directory;
  private final RealtimeEvents events;

  public AuthenticationService(
      TokenVerifier verifier, UserDirectory directory, RealtimeEvents events) {
    this.verifier = verifier;
    this.directory = directory;
    this.events = events;
  }

  @Override
  public TokenCheck authenticate(String token) {
    TokenCheck check = check(token);
    if (check instanceof TokenCheck.Invalid invalid) {
      events.authFailed(invalid.reason());
    }
    return check;
  }

  private TokenCheck check(String token) {
    if (token == null || token.isBlank()) {
      return new TokenCheck.Invalid(AuthFailure.MISSING);
    }
    TokenCheck verified;
    try {
      verified = verifier.verify(token);
    } catch (RuntimeException e) { // a verifier must not throw; if one does, refuse safely
      return new TokenCheck.Invalid(AuthFailure.MALFORMED, "the token could not be verified");
    }
    if (!(verified instanceof TokenCheck.Valid valid)) {
      return verified;
    }
    UserCheck user;
    try {
      user = directory.review(valid.principal());
    } catch (RuntimeException e) { // a failing user module keeps users out: fail closed
      return new TokenCheck.Invalid(AuthFailure.USER_REJECTED, "the user could not be checked");
    }
    if (user instanceof UserCheck.Allowed allowed) {
      return new TokenCheck.Valid(allowed.principal());
    }
    if (user instanceof UserCheck.Denied denied) {
      return new TokenCheck.Invalid(AuthFailure.USER_REJECTED, denied.reason());
    }
    throw new AssertionError(user);
  }
}
