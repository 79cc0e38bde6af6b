package io.realtime.port.in;

import io.realtime.port.out.TokenCheck;

/**
 * Verifies a token and asks the host's user module about its user: the handshake's and the
 * API's authentication. Counts every refusal. Thread-safe; may block briefly on key fetches.
 */
public interface AuthenticateUseCase {
  /** {@code token} may be empty (none given): that is {@code MISSING}. */
  TokenCheck authenticate(String token);
}
