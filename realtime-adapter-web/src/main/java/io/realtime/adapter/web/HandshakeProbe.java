package io.realtime.adapter.web;

import java.util.Optional;

/**
 * Explains a refused upgrade over plain HTTP. A browser sees only close 1006 when an upgrade is
 * refused, so the JavaScript client repeats the attempt as a plain {@code GET /ws} with the same
 * token in {@code Authorization: Bearer} (or {@code ?token=}); this answers it with the very
 * refusal the upgrade got (401, 403, 429, 503 with {@code Retry-After}). When the upgrade would
 * be accepted the answer is the ordinary 400 {@code upgrade_required}; without a token the
 * request goes on to {@link HttpApi}. A request with an {@code Origin} gets it back in
 * {@code Access-Control-Allow-Origin}, so a page on another origin can read the answer (it sends
 * the token as {@code ?token=} there, a request that needs no preflight). Nothing is opened or
 * counted as a connection.
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
    if (decision instanceof HandshakeDecision.Accept accept) {
      accept.reservation().lapse(); // a probe opens nothing: its place under the caps goes back
    }
    HttpResponse answer = decision instanceof HandshakeDecision.Refuse refuse
        ? refuse.toResponse()
        : HttpResponse.error(400, "upgrade_required",
            "GET /ws must be a WebSocket upgrade request (this one would be accepted)");
    // readable by a page on another origin: it only tells the caller about its own token
    String origin = request.headers().first("Origin").orElse("");
    return Optional.of(origin.isEmpty() ? answer
        : answer.withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin")
            .withHeader("Access-Control-Expose-Headers", "Retry-After"));
  }

  private static boolean presentsToken(HttpRequest request) {
    return request.headers().all("Authorization").stream()
        .anyMatch(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        || request.query().first("token").isPresent();
  }
}
