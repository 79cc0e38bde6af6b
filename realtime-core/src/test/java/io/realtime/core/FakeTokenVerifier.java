package io.realtime.core;

import io.realtime.domain.Principal;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.TokenCheck;
import io.realtime.port.out.TokenVerifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens are whatever a test registers; anything else is a bad signature. */
public final class FakeTokenVerifier implements TokenVerifier {
  private final Map<String, Principal> tokens = new ConcurrentHashMap<>();

  public FakeTokenVerifier accept(String token, Principal principal) {
    tokens.put(token, principal);
    return this;
  }

  @Override
  public TokenCheck verify(String token) {
    Principal principal = tokens.get(token);
    return principal == null ? new TokenCheck.Invalid(AuthFailure.BAD_SIGNATURE)
        : new TokenCheck.Valid(principal);
  }
}
