package io.realtime.adapter.web;

import java.util.Optional;

/**
 * Explains a refused upgrade over plain HTTP. A browser sees only close 1006 when an upgrade is
 * refused, so the JavaScript client repeats the attempt as a plain {@code GET /ws} with the same
 * token in {@code Authorization: Bearer} (or {@code ?token=}); this answers it with the very
 * refusal the upgrade got (401, 403, 429, 503 with {@code Retry-After}). When the upgrade would
 * be accepted, or no token is presented, the request goes on to the ordinary 400
 * {@code upgrade_required}. Nothing is opened or counted as a connection.
 *
 * <p>Stateless and thread-safe; may block as briefly as {@link HandshakePolicy#decide}.
 */
final class HandshakeProbe {
  private final HandshakePolicy policy;

  HandshakeProbe(HandshakePolicy policy) {
    this.policy = policy;
  }

  /** The refusal an upgrade with this request's credential would get; empty otherwise. */
  Optional<HttpResponse> refusal(HttpRequest request) {
    if (!request.method().equals("GET") || !request.path().equals("/ws")
        || !presentsToken(request)) {
      return Optional.empty();
    }
    HandshakeDecision decision = policy.decide(new HandshakeRequest(request.path(),
        request.query(), request.headers(), request.remoteAddress()));
    return decision instanceof HandshakeDecision.Refuse refuse
        ? Optional.of(refuse.toResponse())
        : Optional.empty();
  }

  private static boolean presentsToken(HttpRequest request) {
    return request.headers().all("Authorization").stream()
        .anyMatch(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        || request.query().first("token").isPresent();
  }
}
