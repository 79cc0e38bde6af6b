package io.realtime.adapter.web;

import io.realtime.domain.Principal;
import java.util.Map;
import java.util.Objects;

/** What to do with an upgrade request: upgrade it, or answer with a plain HTTP refusal. */
public sealed interface HandshakeDecision {

  /**
   * Upgrade, and open a connection for {@code principal}.
   *
   * @param subprotocol the subprotocol to answer with ({@code realtime.v1}), {@code ""} for none
   * @param metadata transport facts for the core (remote address, user agent); never tokens
   * @param reservation the connection's place under the node's caps, held from this decision:
   *     the transport passes the decision to {@link WebAdapter#connect} once the socket is
   *     open, or to {@link WebAdapter#abandon} if the upgrade fails on the way
   */
  record Accept(Principal principal, String subprotocol, Map<String, String> metadata,
      Reservation reservation) implements HandshakeDecision {
    public Accept {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(subprotocol, "subprotocol");
      metadata = Map.copyOf(metadata);
      Objects.requireNonNull(reservation, "reservation");
    }

    /** An accept that holds no place in a budget (for tests and hand-made upgrades). */
    public Accept(Principal principal, String subprotocol, Map<String, String> metadata) {
      this(principal, subprotocol, metadata, Reservation.NONE);
    }
  }

  /**
   * Refuse before the upgrade: answer {@code status} with {@link #body()} as
   * {@code application/json} and the extra {@code headers} ({@code Retry-After},
   * {@code WWW-Authenticate}).
   *
   * @param error the protocol's error code, such as {@code unauthorized}
   * @param message human text naming what was wrong (never the token)
   */
  record Refuse(int status, String error, String message, Map<String, String> headers)
      implements HandshakeDecision {
    public Refuse {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(message, "message");
      headers = Map.copyOf(headers);
    }

    /** {@code {"error":"<code>","message":"<text>"}}. */
    public String body() {
      return JsonText.error(error, message);
    }

    /** The same refusal as an HTTP response. */
    public HttpResponse toResponse() {
      return new HttpResponse(status, HttpResponse.JSON, headers, body());
    }
  }
}
