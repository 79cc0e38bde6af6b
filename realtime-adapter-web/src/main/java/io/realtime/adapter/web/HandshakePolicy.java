package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import io.realtime.domain.Principal;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.out.TokenCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every WebSocket upgrade before it happens (PROTOCOL.md section 1), identically for
 * both transports. In order: draining (503 {@code shutting_down}), {@code Origin} not on the
 * allow-list (403 {@code forbidden_origin}), the node's connection cap (503 {@code overloaded}),
 * the node's upgrade rate (503 {@code overloaded}: checked before the token, so a reconnect
 * storm is paced instead of paying a signature check per upgrade), the token (401
 * {@code unauthorized}, with {@code WWW-Authenticate: Bearer}), then a place reserved under
 * both caps at once (429 {@code too_many_connections} for the user's, 503 for the node's).
 * Every 503 carries a jittered {@code Retry-After}.
 *
 * <p>The token is taken from {@code Authorization: Bearer}, else from the subprotocol list
 * ({@code realtime.v1, bearer.<jwt>}, answered with {@code realtime.v1}), else from
 * {@code ?token=}; the first present wins. Tokens are never logged.
 *
 * <p>The caps hold under bursts: an accepted upgrade carries a {@link Reservation} taken
 * atomically here, which the transport releases through the {@link WebAdapter} when the socket
 * ends or the upgrade fails; N simultaneous upgrades of one user leave exactly the cap open.
 *
 * <p>Thread-safe. May block briefly when the token verifier fetches keys.
 */
public final class HandshakePolicy {
  /** The subprotocol of this wire contract. */
  public static final String SUBPROTOCOL = "realtime.v1";
  /** Prefix of the subprotocol entry carrying a browser's token. */
  public static final String BEARER_SUBPROTOCOL = "bearer.";

  private static final Logger log = LoggerFactory.getLogger(HandshakePolicy.class);
  private static final int SHUTDOWN_RETRY_SECONDS = 2;
  private static final int OVERLOAD_RETRY_SECONDS = 5;
  private static final int MAX_USER_AGENT = 256;
  /** How long an accepted upgrade may take to open its socket before its place lapses. */
  static final long RESERVATION_LEASE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final RealtimeSettings settings;
  private final AuthenticateUseCase auth;
  private final DrainConnectionsUseCase drain;
  private final Origins origins;
  private final ConnectionBudget budget;
  private final UpgradeRate upgrades;
  private final int rateRetrySeconds;

  /**
   * @param ticker monotonic nanoseconds for the upgrade rate and reservation leases
   *     ({@code System::nanoTime} outside tests)
   */
  public HandshakePolicy(RealtimeSettings settings, AuthenticateUseCase auth,
      DrainConnectionsUseCase drain, LongSupplier ticker) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.origins = new Origins(settings.allowedOrigins());
    this.auth = Objects.requireNonNull(auth, "auth");
    this.drain = Objects.requireNonNull(drain, "drain");
    this.budget = new ConnectionBudget(settings.maxConnections(),
        settings.maxConnectionsPerUser(), ticker, RESERVATION_LEASE_NANOS);
    this.upgrades = new UpgradeRate(settings.upgradeRate(), settings.upgradeBurst(), ticker);
    // come back once a full burst has refilled, spread over twice that
    this.rateRetrySeconds = (int) Math.min(60,
        Math.max(1, Math.ceil(settings.upgradeBurst() / settings.upgradeRate())));
  }

  /** The node's connection budget, which accepted upgrades hold places in. */
  ConnectionBudget budget() {
    return budget;
  }

  /** Never throws on any request. */
  public HandshakeDecision decide(HandshakeRequest request) {
    HandshakeDecision decision = judge(request);
    if (decision instanceof HandshakeDecision.Refuse r) {
      log.debug("ws.refused status={} error={} remote={}", r.status(), r.error(),
          request.remoteAddress());
    }
    return decision;
  }

  private HandshakeDecision judge(HandshakeRequest request) {
    if (drain.draining()) {
      return new HandshakeDecision.Refuse(503, "shutting_down",
          "the server is shutting down; reconnect shortly",
          Map.of("Retry-After", retryAfter(SHUTDOWN_RETRY_SECONDS)));
    }
    String origin = request.headers().first("Origin").orElse("");
    if (!origins.allows(origin)) {
      return new HandshakeDecision.Refuse(403, "forbidden_origin",
          "origin '" + origin + "' is not allowed", Map.of());
    }
    if (budget.nodeFull()) {
      return nodeFull();
    }
    if (!upgrades.tryAcquire()) {
      return new HandshakeDecision.Refuse(503, "overloaded",
          "the server is at its upgrade rate; retry later",
          Map.of("Retry-After", retryAfter(rateRetrySeconds)));
    }
    Credential credential = credential(request);
    TokenCheck check = auth.authenticate(credential.token());
    if (check instanceof TokenCheck.Invalid invalid) {
      String challenge = credential.token().isEmpty() ? "Bearer realm=\"realtime\""
          : "Bearer realm=\"realtime\", error=\"invalid_token\"";
      return new HandshakeDecision.Refuse(401, "unauthorized", invalid.detail(),
          Map.of("WWW-Authenticate", challenge));
    }
    Principal principal = ((TokenCheck.Valid) check).principal();
    String subprotocol = offersSubprotocol(request) ? SUBPROTOCOL : "";
    Map<String, String> metadata = metadata(request, origin, credential);
    // the reservation comes last: nothing may fail between it and the accept that carries it
    ConnectionBudget.Attempt place = budget.reserve(principal.user());
    switch (place.verdict()) {
      case NODE_FULL:
        return nodeFull();
      case USER_FULL:
        return new HandshakeDecision.Refuse(429, "too_many_connections",
            "user already holds " + settings.maxConnectionsPerUser() + " connections", Map.of());
      case GRANTED:
        break;
      default:
        throw new AssertionError(place);
    }
    return new HandshakeDecision.Accept(principal, subprotocol, metadata, place.reservation());
  }

  private static HandshakeDecision.Refuse nodeFull() {
    return new HandshakeDecision.Refuse(503, "overloaded",
        "the server is at its connection limit; retry later",
        Map.of("Retry-After", retryAfter(OVERLOAD_RETRY_SECONDS)));
  }

  /** The token and where it came from; the first place present wins. */
  static Credential credential(HandshakeRequest request) {
    for (String value : request.headers().all("Authorization")) {
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = value.substring(7).strip();
        if (!token.isEmpty()) {
          return new Credential(token, "header");
        }
      }
    }
    for (String protocol : subprotocols(request)) {
      if (protocol.regionMatches(true, 0, BEARER_SUBPROTOCOL, 0, BEARER_SUBPROTOCOL.length())
          && protocol.length() > BEARER_SUBPROTOCOL.length()) {
        return new Credential(protocol.substring(BEARER_SUBPROTOCOL.length()), "subprotocol");
      }
    }
    String query = request.query().first("token").orElse("").strip();
    if (!query.isEmpty()) {
      return new Credential(query, "query");
    }
    return new Credential("", "none");
  }

  private static boolean offersSubprotocol(HandshakeRequest request) {
    for (String protocol : subprotocols(request)) {
      if (protocol.equalsIgnoreCase(SUBPROTOCOL)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> subprotocols(HandshakeRequest request) {
    List<String> headers = request.headers().all("Sec-WebSocket-Protocol");
    if (headers.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String header : headers) {
      for (String part : header.split(",")) {
        String p = part.strip();
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static Map<String, String> metadata(HandshakeRequest request, String origin,
      Credential credential) {
    Map<String, String> out = new HashMap<>(4);
    if (!request.remoteAddress().isEmpty()) {
      out.put("remoteAddress", request.remoteAddress());
    }
    request.headers().first("User-Agent").ifPresent(ua ->
        out.put("userAgent", ua.length() > MAX_USER_AGENT ? ua.substring(0, MAX_USER_AGENT) : ua));
    if (!origin.isEmpty()) {
      out.put("origin", origin);
    }
    out.put("tokenSource", credential.source());
    return out;
  }

  /** Seconds between {@code base} and twice it, so refused clients do not return in step. */
  static String retryAfter(int base) {
    return Integer.toString(base + ThreadLocalRandom.current().nextInt(base + 1));
  }

  /** A presented token and where it was found ({@code header}, {@code subprotocol}...). */
  record Credential(String token, String source) {
    @Override
    public String toString() {
      return "Credential[source=" + source + ", token=" + Redaction.MASK + "]";
    }
  }
}
