package io.realtime.port.out;

import io.realtime.domain.Principal;
import java.util.Objects;

/** A user module's answer about a verified principal. */
public sealed interface UserCheck {
  /** Let the user in as {@code principal} (the verified one, or an enriched copy). */
  record Allowed(Principal principal) implements UserCheck {
    public Allowed {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /** Keep the user out; {@code reason} is safe to show the client ("account disabled"). */
  record Denied(String reason) implements UserCheck {
    public Denied {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
