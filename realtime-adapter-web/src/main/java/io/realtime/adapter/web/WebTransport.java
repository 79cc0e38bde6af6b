package io.realtime.adapter.web;

import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.Transport;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A web transport for the node facade: the Jackson codec, and a {@link WebAdapter} over the
 * node's use cases served by Jetty or Undertow.
 *
 * <pre>{@code
 * RealtimeNode node = RealtimeNode.start(settings, verifier,
 *     WebTransport.of(UndertowRealtimeServer::new));   // or JettyRealtimeServer::new
 * }</pre>
 *
 * <p>Immutable; each {@code with…} returns a copy.
 */
public final class WebTransport implements Transport {
  private final Function<WebAdapter, RealtimeServer> transport;
  private final Supplier<String> metrics;
  private final DevTokenMinter devTokens;
  private final Clock clock;

  private WebTransport(Function<WebAdapter, RealtimeServer> transport, Supplier<String> metrics,
      DevTokenMinter devTokens, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.devTokens = devTokens;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Serves on the server {@code transport} makes from a web adapter. */
  public static WebTransport of(Function<WebAdapter, RealtimeServer> transport) {
    return new WebTransport(transport, () -> "", null, Clock.systemUTC());
  }

  /** Prometheus text served at {@code /metrics}; empty by default. */
  public WebTransport withMetrics(Supplier<String> value) {
    return new WebTransport(transport, value, devTokens, clock);
  }

  /** The dev-mode token minter; required when the settings say dev mode. */
  public WebTransport withDevTokens(DevTokenMinter value) {
    return new WebTransport(transport, metrics, Objects.requireNonNull(value), clock);
  }

  /** For the idempotency window; the system UTC clock by default. */
  public WebTransport withClock(Clock value) {
    return new WebTransport(transport, metrics, devTokens, value);
  }

  @Override
  public FrameCodec codec(RealtimeSettings settings) {
    return new JacksonFrameCodec(settings.maxFrameBytes());
  }

  @Override
  public RealtimeServer server(RealtimeSettings settings, RealtimeUseCases useCases) {
    WebAdapter.Builder web = WebAdapter.builder(settings, useCases).metrics(metrics).clock(clock);
    if (devTokens != null) {
      web.devTokens(devTokens);
    }
    return transport.apply(web.build());
  }
}
