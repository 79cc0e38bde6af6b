package io.realtime.port.out;

import io.realtime.domain.Principal;

/**
 * The host application's user module, consulted after a token verifies: it may refuse the user
 * (a disabled account) or enrich the principal (current roles from its own store).
 *
 * <p>Thread-safe. Called on every handshake and refresh, so it should answer from memory or a
 * cache; a slow directory slows every connect.
 */
public interface UserDirectory {
  /** The principal to use, possibly enriched; or a refusal. */
  UserCheck review(Principal verified);

  /** The default: the token alone decides. */
  static UserDirectory trustToken() {
    return UserCheck.Allowed::new;
  }
}
