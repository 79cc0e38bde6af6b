package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.in.RealtimeSettings;
import com.fasterxml.jackson.core.JsonFactory;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.MessageTypes;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.RawJson;
import io.realtime.domain.RouteKind;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.out.IdempotencyStore;
import io.realtime.port.out.IdempotencyStore.Answer;
import io.realtime.port.out.IdempotencyStore.Claim;
import io.realtime.port.out.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plain HTTP route of PROTOCOL.md sections 5 to 7, for both transports: the server API
 * under {@code /api/v1}, {@code /health}, {@code /metrics}, the answer to a {@code /ws} request
 * without an upgrade, the JavaScript client ({@link StaticAssets}), and in dev mode the demo app
 * at {@code /} and {@code POST /dev/token}.
 *
 * <p>API calls need {@code Authorization: Bearer} with the API key (compared in constant time)
 * or a JWT carrying {@code realtime:admin}, in dev mode as in production (a dev token minted
 * without that permission is refused: anyone may mint one).
 * Anything else is 401 (a verified token without the permission included, as the contract
 * says "no or wrong credential"). {@code DELETE /api/v1/connections/{id}} and
 * {@code POST .../subscriptions} answer 404 when no such connection is open on this node (in a
 * cluster: nor on the node its id names). A publish the cluster's store refused is 503
 * {@code unavailable} with {@code Retry-After}.
 * Unknown paths are 404 and known paths with another method 405, both as JSON.
 *
 * <p>{@code Idempotency-Key}: the first answer (status and body) is kept in an
 * {@link IdempotencyStore}, per node or shared by a cluster. A retry while the first request
 * still runs (on any node) polls the store with a short backoff for at most
 * {@link #IDEMPOTENCY_WAIT}, then answers 409 {@code conflict}. 5xx answers are not kept: the
 * claim is released, so a retry publishes. A store out of reach is 503 {@code unavailable}.
 *
 * <p>Thread-safe. {@link #handle} never throws; it may block briefly (a key fetch when a JWT
 * is checked, the idempotency store, or a retry waiting for its first request's answer), so
 * transports call it on a worker thread, never on an I/O event loop.
 */
public final class HttpApi {
  /** How long an {@code Idempotency-Key} is remembered. */
  public static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);
  /** How long a retry waits for the first request with its key to answer. */
  public static final Duration IDEMPOTENCY_WAIT = Duration.ofSeconds(10);
  static final int MAX_IDEMPOTENCY_KEY = 255;
  /**
   * Bound on one call to a remote store (idempotency, a cluster's presence and stats): theirs
   * fail within 2 s by contract.
   */
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(3);
  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long MAX_PAUSE_MILLIS = 100;

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String CHALLENGE = "Bearer realm=\"realtime\"";
  private static final String API = "/api/v1/";
  private static final Set<String> MESSAGE_FIELDS = Set.of("target", "type", "payload");
  private static final Set<String> TARGET_FIELDS = Set.of("kind", "value");
  private static final Set<String> TOPIC_FIELDS = Set.of("topic");
  private static final Set<String> DEV_TOKEN_FIELDS =
      Set.of("sub", "roles", "permissions", "topics", "ttlSeconds");

  private final RealtimeSettings settings;
  private final RealtimeUseCases core;
  private final Supplier<String> metrics;
  private final DevTokenMinter devTokens;
  private final IdempotencyStore idempotency;
  private final JsonFactory json;
  private final byte[] apiKeyDigest;
  private final StaticAssets assets;

  /**
   * @param metrics Prometheus text for {@code /metrics}
   * @param devTokens the dev-mode minter; required exactly when {@code settings.devMode()}
   * @param idempotency the first answers by {@code Idempotency-Key}
   */
  HttpApi(RealtimeSettings settings, RealtimeUseCases core, Supplier<String> metrics,
      DevTokenMinter devTokens, IdempotencyStore idempotency) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.core = Objects.requireNonNull(core, "core");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (settings.devMode() && devTokens == null) {
      throw new IllegalArgumentException("dev mode needs a DevTokenMinter");
    }
    this.devTokens = devTokens;
    this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
    this.json = JsonFields.factory(settings.maxRequestBytes());
    this.apiKeyDigest = settings.apiKey().isEmpty() ? null : sha256(settings.apiKey());
    this.assets = StaticAssets.load(settings.devMode());
  }

  /** Answers one request; never throws. */
  public HttpResponse handle(HttpRequest request) {
    try {
      return route(request);
    } catch (RuntimeException e) {
      log.error("http.failed method={} path={} error={}", request.method(), request.path(),
          e.toString(), e);
      return HttpResponse.error(500, "internal_error", "the server failed on this request");
    }
  }

  /** The answer to a request too large to read: 413 as JSON. */
  public static HttpResponse tooLarge(int maxBytes) {
    return HttpResponse.error(413, "bad_request",
        "the request body is larger than " + maxBytes + " bytes");
  }

  private HttpResponse route(HttpRequest r) {
    String path = r.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Optional<HttpResponse> asset = assets.answer(r, path);
    if (asset.isPresent()) {
      return asset.get();
    }
    switch (path) {
      case "/health":
        return only(r, "GET", () -> health());
      case "/metrics":
        return only(r, "GET", () -> metrics());
      case "/ws":
        return HttpResponse.error(400, "upgrade_required",
            "GET /ws must be a WebSocket upgrade request");
      case "/api/v1/messages":
        return only(r, "POST", () -> authorized(r, caller -> publish(r, caller)));
      case "/api/v1/stats":
        return only(r, "GET", () -> authorized(r, caller -> stats()));
      case "/dev/token":
        return settings.devMode() ? only(r, "POST", () -> devToken(r)) : notFound();
      default:
        break;
    }
    if (path.startsWith(API + "presence/")) {
      String topic = path.substring((API + "presence/").length());
      return only(r, "GET", () -> authorized(r, caller -> presence(topic)));
    }
    if (path.startsWith(API + "connections/")) {
      String rest = path.substring((API + "connections/").length());
      int slash = rest.indexOf('/');
      if (slash < 0 && !rest.isEmpty()) {
        return only(r, "DELETE", () -> authorized(r, caller -> kick(rest, caller)));
      }
      if (slash > 0 && rest.substring(slash).equals("/subscriptions")) {
        String id = rest.substring(0, slash);
        return only(r, "POST", () -> authorized(r, caller -> subscribe(id, r)));
      }
    }
    return notFound();
  }


  private HttpResponse publish(HttpRequest r, String caller) {
    String key = r.headers().first("Idempotency-Key").orElse("").strip();
    if (key.isEmpty()) {
      return doPublish(r, caller);
    }
    if (key.length() > MAX_IDEMPOTENCY_KEY) {
      return badRequest("Idempotency-Key is longer than " + MAX_IDEMPOTENCY_KEY + " characters");
    }
    // scoped by caller: two backends choosing the same key do not see each other's answers
    return once(caller + "\n" + key, HexFormat.of().formatHex(sha256(r.body())),
        () -> doPublish(r, caller));
  }

  /** The first answer for {@code key}, running {@code action} only if there is none yet. */
  private HttpResponse once(String key, String fingerprint, Supplier<HttpResponse> action) {
    long deadline = System.nanoTime() + IDEMPOTENCY_WAIT.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      Optional<Claim> found =
          await(idempotency.claim(key, fingerprint), "api.idempotency_unavailable");
      if (found.isEmpty()) {
        return unavailable("the idempotency store is out of reach; nothing was published");
      }
      Claim claim = found.get();
      if (claim instanceof Claim.Acquired acquired) {
        return firstRun(acquired, action);
      }
      if (claim instanceof Claim.Replayed replayed) {
        return HttpResponse.json(replayed.answer().status(), replayed.answer().body());
      }
      if (claim instanceof Claim.Conflict) {
        return badRequest("this Idempotency-Key was already used for a different request");
      }
      if (!(claim instanceof Claim.InProgress)) {
        throw new AssertionError(claim);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return HttpResponse.error(409, "conflict",
            "a request with this Idempotency-Key is still in progress");
      }
      // the first request runs on this node or another: look again shortly
      try {
        Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return HttpResponse.error(503, "shutting_down", "interrupted; retry");
      }
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
  }

  /** Runs the claimed request and keeps its answer, or gives the key back after a 5xx. */
  private HttpResponse firstRun(Claim.Acquired claim, Supplier<HttpResponse> action) {
    HttpResponse response;
    try {
      response = action.get();
    } catch (RuntimeException e) {
      release(claim);
      throw e;
    }
    if (response.status() >= 500) { // may be retried for real
      release(claim);
      return response;
    }
    Optional<Boolean> kept =
        await(idempotency.complete(claim, new Answer(response.status(), response.body())),
            "api.idempotency_unavailable");
    if (kept.isEmpty()) {
      // already published: a 503 would invite a retry that publishes again once the claim
      // expires, so the caller gets the true answer; a retry within that time waits, then 409
      log.warn("api.idempotency_unsaved status={}", response.status());
    } else if (!kept.get()) {
      log.warn("api.idempotency_lapsed status={}", response.status());
    }
    return response;
  }

  private void release(Claim.Acquired claim) {
    if (await(idempotency.release(claim), "api.idempotency_unavailable").isEmpty()) {
      log.warn("api.idempotency_release_failed"); // the claim expires by itself
    }
  }

  /**
   * A store's outcome, waited for on this (worker) thread; empty, logged as {@code event}, if
   * it failed or was late.
   */
  private static <T> Optional<T> await(CompletionStage<T> stage, String event) {
    try {
      return Optional.of(
          stage.toCompletableFuture().get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      log.warn("{} reason={}", event, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      log.warn("{} reason=timeout", event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private HttpResponse doPublish(HttpRequest r, String caller) {
    JsonFields body = JsonFields.read(json, r.body(), MESSAGE_FIELDS);
    if (!body.ok()) {
      return badRequest("body: " + body.problem());
    }
    Target target;
    String type;
    RawJson payload;
    try {
      target = target(body.object("target"));
      type = body.string("type");
      payload = new RawJson(body.raw("payload"));
    } catch (JsonFields.BadField e) {
      return badRequest(e.getMessage());
    }
    Optional<String> problem = MessageTypes.problem(type);
    if (problem.isPresent()) {
      return badRequest(problem.get());
    }
    PublishResult result = core.publish().publish(new PublishRequest(target, type, payload));
    if (result instanceof PublishResult.Published p) {
      log.debug("api.published id={} route={} recipients={} caller={}", p.id(),
          target.kind().wire(), p.recipients(), caller);
      StringBuilder out = new StringBuilder(64).append("{\"id\":");
      JsonText.quote(out, p.id()).append(",\"recipients\":").append(p.recipients()).append('}');
      return HttpResponse.json(202, out.toString());
    }
    PublishResult.Rejected rejected = (PublishResult.Rejected) result;
    if (rejected.code() == ErrorCode.UNAVAILABLE) { // the cluster's store is out of reach
      return unavailable(rejected.message());
    }
    return HttpResponse.error(400, rejected.code().wire(), rejected.message());
  }

  private Target target(String text) {
    JsonFields t = JsonFields.read(json, text, TARGET_FIELDS);
    try {
      String kindName = t.string("kind");
      RouteKind kind = RouteKind.fromWire(kindName).orElseThrow(() -> new JsonFields.BadField(
          "field 'target.kind' must be one of broadcast, user, role, connection, topic"));
      if (kind == RouteKind.BROADCAST) {
        return new Target.Broadcast();
      }
      String value = t.string("value");
      if (value.isBlank()) {
        throw new JsonFields.BadField("field 'target.value' must not be blank");
      }
      return switch (kind) {
        case USER -> new Target.User(new UserId(value));
        case ROLE -> new Target.Role(value);
        case CONNECTION -> new Target.Connection(new ConnectionId(value));
        case TOPIC -> {
          Optional<String> problem = TopicName.problem(value);
          if (problem.isPresent()) {
            throw new JsonFields.BadField("field 'target.value': " + problem.get());
          }
          yield new Target.Topic(new TopicName(value));
        }
        case BROADCAST -> throw new AssertionError(kind);
      };
    } catch (JsonFields.BadField e) {
      throw new JsonFields.BadField(e.getMessage().replace("field 'kind'", "field 'target.kind'")
          .replace("field 'value'", "field 'target.value'"));
    }
  }

  private HttpResponse subscribe(String rawId, HttpRequest r) {
    String id = PercentDecoding.decode(rawId).orElse("");
    if (id.isBlank()) {
      return badRequest("the connection id in the path is not valid");
    }
    JsonFields body = JsonFields.read(json, r.body(), TOPIC_FIELDS);
    if (!body.ok()) {
      return badRequest("body: " + body.problem());
    }
    String topic;
    try {
      topic = body.string("topic");
    } catch (JsonFields.BadField e) {
      return badRequest(e.getMessage());
    }
    Optional<String> problem = TopicName.problem(topic);
    if (problem.isPresent()) {
      return badRequest(problem.get());
    }
    if (!core.subscribeConnection().subscribe(new ConnectionId(id), new TopicName(topic))) {
      return noSuchConnection(id);
    }
    return HttpResponse.noContent();
  }

  private HttpResponse kick(String rawId, String caller) {
    String id = PercentDecoding.decode(rawId).orElse("");
    if (id.isBlank()) {
      return badRequest("the connection id in the path is not valid");
    }
    if (!core.kick().kick(new ConnectionId(id))) {
      return noSuchConnection(id);
    }
    log.info("api.kicked connectionId={} caller={}", id, caller);
    return HttpResponse.noContent();
  }

  private HttpResponse presence(String rawTopic) {
    String topic = PercentDecoding.decode(rawTopic).orElse("");
    Optional<String> problem = TopicName.problem(topic);
    if (problem.isPresent()) {
      return badRequest(problem.get());
    }
    Optional<Set<UserId>> present =
        await(core.presence().presence(new TopicName(topic)), "api.cluster_unavailable");
    if (present.isEmpty()) {
      return unavailable("the cluster's presence cannot be read right now; retry later");
    }
    List<String> users = present.get().stream().map(UserId::value).sorted().toList();
    StringBuilder out = new StringBuilder(64).append("{\"topic\":");
    JsonText.quote(out, topic).append(",\"users\":");
    JsonText.array(out, users).append('}');
    return HttpResponse.json(200, out.toString());
  }

  /** The node's figures; in a cluster the cluster's, and its nodes. */
  private HttpResponse stats() {
    Optional<QueryStatsUseCase.Overview> overview =
        await(core.stats().overview(), "api.cluster_unavailable");
    if (overview.isEmpty()) {
      return unavailable("the cluster's figures cannot be read right now; retry later");
    }
    StringBuilder out = figures(new StringBuilder(128).append('{'), overview.get().total());
    if (!overview.get().nodes().isEmpty()) {
      out.append(",\"nodes\":[");
      String comma = "";
      for (QueryStatsUseCase.NodeStats n : overview.get().nodes()) {
        JsonText.quote(out.append(comma).append("{\"id\":"), n.id()).append(',');
        figures(out, n.stats()).append('}');
        comma = ",";
      }
      out.append(']');
    }
    return HttpResponse.json(200, out.append('}').toString());
  }

  private static StringBuilder figures(StringBuilder out, QueryStatsUseCase.Stats s) {
    return out.append("\"connections\":").append(s.connections()).append(",\"users\":")
        .append(s.users()).append(",\"topics\":").append(s.topics());
  }


  private HttpResponse health() {
    String backplane = switch (core.backplane()) { // a node of a cluster says how its link is
      case LOCAL -> "";
      case UP -> ",\"backplane\":\"up\"";
      case DOWN -> ",\"backplane\":\"down\"";
    };
    return core.drain().draining()
        ? HttpResponse.json(503, "{\"status\":\"DRAINING\"" + backplane + "}")
        : HttpResponse.json(200, "{\"status\":\"UP\"" + backplane + "}");
  }

  private HttpResponse metrics() {
    return new HttpResponse(200, HttpResponse.PROMETHEUS, Map.of(), metrics.get());
  }


  private HttpResponse devToken(HttpRequest r) {
    JsonFields body = JsonFields.read(json, r.body(), DEV_TOKEN_FIELDS);
    if (!body.ok()) {
      return badRequest("body: " + body.problem());
    }
    DevTokenRequest request;
    try {
      String sub = body.string("sub");
      if (sub.isBlank()) {
        return badRequest("field 'sub' must not be blank");
      }
      request = new DevTokenRequest(sub, body.optionalStrings(json, "roles"),
          body.optionalStrings(json, "permissions"), body.optionalStrings(json, "topics"),
          Duration.ofSeconds(body.optionalLong("ttlSeconds", 3600, 1, 86_400)));
    } catch (JsonFields.BadField e) {
      return badRequest(e.getMessage());
    }
    String token;
    try {
      token = devTokens.mint(request);
    } catch (IllegalArgumentException e) {
      return badRequest(String.valueOf(e.getMessage()));
    }
    log.info("dev.token_minted sub={} ttlSeconds={}", request.subject(),
        request.ttl().toSeconds());
    return HttpResponse.json(200, "{\"token\":" + JsonText.quote(token) + "}");
  }


  /** Runs {@code ok} with the caller's name, or answers 401. */
  private HttpResponse authorized(HttpRequest r, Function<String, HttpResponse> ok) {
    String bearer = "";
    for (String value : r.headers().all("Authorization")) {
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        bearer = value.substring(7).strip();
        break;
      }
    }
    if (bearer.isEmpty()) {
      return unauthorized("send Authorization: Bearer <api key or admin token>");
    }
    if (apiKeyDigest != null && MessageDigest.isEqual(apiKeyDigest, sha256(bearer))) {
      return ok.apply("api-key");
    }
    TokenCheck check = core.authenticate().authenticate(bearer);
    if (check instanceof TokenCheck.Invalid invalid) {
      return unauthorized(apiKeyDigest == null ? invalid.detail()
          : "neither the API key nor a valid token: " + invalid.detail());
    }
    Principal principal = ((TokenCheck.Valid) check).principal();
    if (!principal.hasPermission(Permissions.ADMIN)) {
      return unauthorized("the token lacks the permission '" + Permissions.ADMIN + "'");
    }
    return ok.apply("user:" + principal.user().value());
  }

  private static HttpResponse only(HttpRequest r, String method, Supplier<HttpResponse> ok) {
    if (!r.method().equals(method)) {
      return HttpResponse.error(405, "method_not_allowed",
          r.method() + " is not allowed here; use " + method).withHeader("Allow", method);
    }
    return ok.get();
  }

  private static HttpResponse unauthorized(String message) {
    return HttpResponse.error(401, "unauthorized", message)
        .withHeader("WWW-Authenticate", CHALLENGE);
  }

  private static HttpResponse badRequest(String message) {
    return HttpResponse.error(400, "bad_request", message);
  }

  private static HttpResponse unavailable(String message) {
    return HttpResponse.error(503, ErrorCode.UNAVAILABLE.wire(), message)
        .withHeader("Retry-After", "1");
  }

  private static HttpResponse notFound() {
    return HttpResponse.error(404, "not_found", "no such resource");
  }

  private static HttpResponse noSuchConnection(String id) {
    return HttpResponse.error(404, "not_found", "no open connection '" + id + "' on this node");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
