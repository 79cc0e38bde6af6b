package io.realtime.port.out;

import io.realtime.domain.Principal;
import java.util.Objects;

/** The outcome of verifying a token. */
public sealed interface TokenCheck {
  /** The token verified; it speaks for {@code principal}. */
  record Valid(Principal principal) implements TokenCheck {
    public Valid {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /** The token was refused; {@code detail} adds a safe specific (never the token itself). */
  record Invalid(AuthFailure reason, String detail) implements TokenCheck {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    public Invalid(AuthFailure reason) {
      this(reason, reason.description());
    }
  }
}
