package io.realtime.tck;

import io.realtime.adapter.web.DevTokenMinter;
import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.HandlerResult;
import io.realtime.core.RealtimeCore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the kit started on loopback: one node (the embedded core, the web adapter, and the
 * transport under test), or two nodes of a cluster where WebSocket clients connect to the
 * first and API calls go to the second (PROTOCOL.md section 8). Tests reach it only over the
 * wire (WebSocket and HTTP), as clients would.
 */
public final class RunningServer implements AutoCloseable {
  /** Client frame type the kit's node handles with an application handler (answers ack). */
  public static final String ECHO_TYPE = "echo";
  /** Client frame type the kit's handler refuses with an application error. */
  public static final String REFUSE_TYPE = "refuse";

  private final Node clients;
  private final Node api;
  private final TestTokens tokens;
  private final ServerSpec spec;

  private RunningServer(Node clients, Node api, TestTokens tokens, ServerSpec spec) {
    this.clients = clients;
    this.api = api;
    this.tokens = tokens;
    this.spec = spec;
  }

  /** Builds core and web adapter from {@code spec}, hands them to the transport, starts it. */
  public static RunningServer start(ServerSpec spec,
      Function<WebAdapter, RealtimeServer> transport) {
    TestTokens tokens = tokens(spec);
    Node node = Node.start(spec, tokens, transport, null);
    return new RunningServer(node, node, tokens, spec);
  }

  /**
   * Two nodes of a cluster, each built from {@code spec} as {@link #start} builds one, on one
   * time and one token key: WebSocket clients connect to the node over {@code clientsBus}, API
   * calls go to the node over {@code apiBus}. Each core closes its bus.
   */
  public static RunningServer cluster(ServerSpec spec,
      Function<WebAdapter, RealtimeServer> transport, ClusterBus clientsBus,
      ClusterBus apiBus) {
    TestTokens tokens = tokens(spec);
    Node clients;
    try {
      clients = Node.start(spec, tokens, transport, clientsBus);
    } catch (RuntimeException e) {
      apiBus.close();
      throw e;
    }
    try {
      return new RunningServer(clients, Node.start(spec, tokens, transport, apiBus), tokens,
          spec);
    } catch (RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  private static TestTokens tokens(ServerSpec spec) {
    return new TestTokens(
        "kit-secret-kit-secret-kit-secret-32".getBytes(StandardCharsets.UTF_8), clock(spec),
        spec.tokenSkew());
  }

  private static Clock clock(ServerSpec spec) {
    return spec.time() instanceof ManualTime manual ? manual : Clock.systemUTC();
  }

  /** One started node and what its core recorded. */
  private record Node(RealtimeServer server, RealtimeCore core, CountingEvents events) {
    static Node start(ServerSpec spec, TestTokens tokens,
        Function<WebAdapter, RealtimeServer> transport, ClusterBus bus) {
      Clock clock = clock(spec);
      CountingEvents events = new CountingEvents();
      RealtimeCore.Builder builder = RealtimeCore.builder(tokens)
          .codec(new JacksonFrameCodec(spec.settings().maxFrameBytes()))
          .settings(spec.settings())
          .clock(clock);
      if (spec.time() instanceof ManualTime manual) {
        builder.ticker(manual::nanos).scheduler(manual.scheduler());
      }
      if (bus != null) {
        builder.cluster(bus);
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
      return new Node(server, core, events);
    }

    void close() {
      try {
        server.drainAndStop(Duration.ofSeconds(2));
      } finally {
        core.close();
      }
    }
  }

  /** What the clients' node recorded: closes and drops by reason. */
  public CountingEvents events() {
    return clients.events();
  }

  public TestTokens tokens() {
    return tokens;
  }

  public ServerSpec spec() {
    return spec;
  }

  /** Whether API calls go to another node than the one clients connect to. */
  public boolean clustered() {
    return clients != api;
  }

  /**
   * What a publish answer's {@code recipients} says of a message that reaches {@code delivered}
   * connections of the clients' node: it counts the deliveries of the node that took the
   * request (PROTOCOL.md section 8), so none when the API is another node.
   */
  public int recipients(int delivered) {
    return clustered() ? 0 : delivered;
  }

  /** The port WebSocket clients connect to. */
  public int port() {
    return clients.server().port();
  }

  /** The port API calls ({@code /api/v1}, {@code /health}, {@code /metrics}, dev routes) go to. */
  public int apiPort() {
    return api.server().port();
  }

  /** {@code path} on the API's node. */
  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + apiPort() + path);
  }

  /** {@code ws://127.0.0.1:<port>/ws} plus {@code query} (with its {@code ?}, or empty). */
  public URI ws(String query) {
    return URI.create("ws://127.0.0.1:" + port() + "/ws" + query);
  }

  /**
   * Drains and stops the clients' node on another thread; the future says whether every socket
   * closed in time. In a cluster the API's node keeps running.
   */
  public CompletableFuture<Boolean> drainAsync(Duration timeout) {
    return CompletableFuture.supplyAsync(() -> clients.server().drainAndStop(timeout));
  }

  @Override
  public void close() {
    try {
      clients.close();
    } finally {
      if (clustered()) {
        api.close();
      }
    }
  }
}
