package io.realtime.tck;

import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.port.out.HandlerResult;
import io.realtime.core.RealtimeCore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One node the kit started on loopback: the embedded core, the web adapter, and the transport
 * under test. Tests reach it only over the wire (WebSocket and HTTP), as clients would.
 */
public final class RunningServer implements AutoCloseable {
  /** Client frame type the kit's node handles with an application handler (answers ack). */
  public static final String ECHO_TYPE = "echo";
  /** Client frame type the kit's handler refuses with an application error. */
  public static final String REFUSE_TYPE = "refuse";

  private final RealtimeServer server;
  private final RealtimeCore core;
  private final TestTokens tokens;
  private final ServerSpec spec;
  private final CountingEvents events;

  private RunningServer(RealtimeServer server, RealtimeCore core, TestTokens tokens,
      ServerSpec spec, CountingEvents events) {
    this.server = server;
    this.core = core;
    this.tokens = tokens;
    this.spec = spec;
    this.events = events;
  }

  /** Builds core and web adapter from {@code spec}, hands them to the transport, starts it. */
  public static RunningServer start(ServerSpec spec,
      Function<WebAdapter, RealtimeServer> transport) {
    Clock clock = spec.time() instanceof ManualTime manual ? manual : Clock.systemUTC();
    TestTokens tokens = new TestTokens(
        "kit-secret-kit-secret-kit-secret-32".getBytes(StandardCharsets.UTF_8), clock,
        spec.tokenSkew());
    CountingEvents events = new CountingEvents();
    RealtimeCore.Builder builder = RealtimeCore.builder(tokens)
        .codec(new JacksonFrameCodec(spec.settings().maxFrameBytes()))
        .settings(spec.settings())
        .clock(clock);
    if (spec.time() instanceof ManualTime manual) {
      builder.ticker(manual::nanos).scheduler(manual.scheduler());
    }
    RealtimeCore core = builder
        .events(events)
        .handler(ECHO_TYPE, (sender, type, frame) -> HandlerResult.ack())
        .handler(REFUSE_TYPE, (sender, type, frame) -> HandlerResult.reject("nope", "refused"))
        .build();
    DevTokenMinter minter = request -> {
      TestTokens.Builder b = tokens.user(request.subject()).expiresIn(request.ttl())
          .roles(request.roles().toArray(String[]::new))
          .permissions(request.permissions().toArray(String[]::new))
          .topics(request.topics().toArray(String[]::new));
      return b.sign();
    };
    WebAdapter.Builder webBuilder = WebAdapter.builder(spec.settings(), core)
        .metrics(spec::metrics)
        .devTokens(minter)
        .clock(clock);
    if (spec.time() instanceof ManualTime manual) {
      webBuilder.ticker(manual::nanos);
    }
    WebAdapter web = webBuilder.build();
    RealtimeServer server = transport.apply(web);
    try {
      server.start();
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
    return new RunningServer(server, core, tokens, spec, events);
  }

  /** What the core recorded: closes and drops by reason. */
  public CountingEvents events() {
    return events;
  }

  public TestTokens tokens() {
    return tokens;
  }

  public ServerSpec spec() {
    return spec;
  }

  public int port() {
    return server.port();
  }

  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** {@code ws://127.0.0.1:<port>/ws} plus {@code query} (with its {@code ?}, or empty). */
  public URI ws(String query) {
    return URI.create("ws://127.0.0.1:" + port() + "/ws" + query);
  }

  /** Drains and stops on another thread; the future says whether every socket closed in time. */
  public CompletableFuture<Boolean> drainAsync(Duration timeout) {
    return CompletableFuture.supplyAsync(() -> server.drainAndStop(timeout));
  }

  @Override
  public void close() {
    try {
      server.drainAndStop(Duration.ofSeconds(2));
    } finally {
      core.close();
    }
  }
}
