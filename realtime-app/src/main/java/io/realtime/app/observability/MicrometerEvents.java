package io.realtime.app.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.realtime.domain.CloseReason;
import io.realtime.domain.Connection;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.RouteKind;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.RealtimeEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the core's events into one log line and one meter each, with the metric names of
 * PROTOCOL.md section 6. Every tagged counter is registered up front, so all series exist
 * from start-up (a dashboard sees zeros, not gaps), and the hot path only increments a
 * pre-resolved counter: no lookup, no lock.
 */
public final class MicrometerEvents implements RealtimeEvents {
  private static final Logger log = LoggerFactory.getLogger("io.realtime.events");

  private final Clock clock;
  private final String transport;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter opened;
  private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
  private final Map<RouteKind, Counter> delivered = new EnumMap<>(RouteKind.class);
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Map<AuthFailure, Counter> authFailures = new EnumMap<>(AuthFailure.class);
  private final Map<ErrorCode, Counter> rejected = new EnumMap<>(ErrorCode.class);
  private final Counter refreshed;

  public MicrometerEvents(MeterRegistry registry, Clock clock, String transport) {
    this.clock = clock;
    this.transport = transport;
    Gauge.builder("realtime.connections.active", active, AtomicInteger::get)
        .description("Open WebSocket connections on this node").register(registry);
    opened = Counter.builder("realtime.connections.opened")
        .description("Connections accepted").register(registry);
    for (CloseReason r : CloseReason.values()) {
      closed.put(r, Counter.builder("realtime.connections.closed").tag("reason", r.tag())
          .description("Connections ended, by reason").register(registry));
    }
    for (RouteKind k : RouteKind.values()) {
      delivered.put(k, Counter.builder("realtime.messages.delivered").tag("route", k.wire())
          .description("Messages offered to connections of this node, by target kind")
          .register(registry));
    }
    for (DropReason r : DropReason.values()) {
      dropped.put(r, Counter.builder("realtime.messages.dropped").tag("reason", r.tag())
          .description("Messages not delivered, by reason").register(registry));
    }
    for (AuthFailure f : AuthFailure.values()) {
      authFailures.put(f, Counter.builder("realtime.auth.failures").tag("reason", f.tag())
          .description("Tokens refused, by reason").register(registry));
    }
    for (ErrorCode c : ErrorCode.values()) {
      rejected.put(c, Counter.builder("realtime.requests.rejected").tag("code", c.wire())
          .description("Client requests answered with an error, by code").register(registry));
    }
    refreshed = Counter.builder("realtime.tokens.refreshed")
        .description("Tokens refreshed on open connections").register(registry);
  }

  @Override
  public void connectionOpened(Connection c) {
    active.incrementAndGet();
    opened.increment();
    // debug: at connect-storm rates a line per connection costs more than the handshake;
    // the counts are in the metrics, REALTIME_LOG_LEVEL=debug shows each one
    log.debug("connection.opened connectionId={} userId={} transport={} remote={}",
        c.id(), c.user(), transport, c.metadata().getOrDefault("remote", "-"));
  }

  @Override
  public void connectionClosed(Connection c, CloseReason reason) {
    active.decrementAndGet();
    closed.get(reason).increment();
    long seconds = Duration.between(c.openedAt(), clock.instant()).toSeconds();
    if (reason == CloseReason.SLOW_CONSUMER || reason == CloseReason.POLICY_VIOLATION) {
      log.warn("connection.closed connectionId={} userId={} reason={} openSeconds={}",
          c.id(), c.user(), reason.tag(), seconds);
    } else {
      log.debug("connection.closed connectionId={} userId={} reason={} openSeconds={}",
          c.id(), c.user(), reason.tag(), seconds);
    }
  }

  @Override
  public void messageDelivered(RouteKind route, int recipients) {
    delivered.get(route).increment(recipients);
    if (log.isDebugEnabled()) {
      log.debug("message.delivered route={} recipients={}", route.wire(), recipients);
    }
  }

  @Override
  public void messageDropped(Connection c, DropReason reason) {
    dropped.get(reason).increment();
    if (reason == DropReason.SLOW_CONSUMER) {
      log.warn("message.dropped connectionId={} userId={} reason={}", c.id(), c.user(),
          reason.tag());
    } else if (log.isDebugEnabled()) {
      log.debug("message.dropped connectionId={} reason={}", c.id(), reason.tag());
    }
  }

  @Override
  public void requestRejected(Connection c, ErrorCode code) {
    rejected.get(code).increment();
    if (log.isDebugEnabled()) {
      log.debug("request.rejected connectionId={} code={}", c.id(), code.wire());
    }
  }

  @Override
  public void authFailed(AuthFailure reason) {
    authFailures.get(reason).increment();
    log.info("auth.failed reason={}", reason.tag());
  }

  @Override
  public void tokenRefreshed(Connection c) {
    refreshed.increment();
    log.info("token.refreshed connectionId={} userId={} expiresAt={}", c.id(), c.user(),
        c.expiresAt());
  }
}
