package io.realtime.adapter.undertow;

import io.realtime.port.in.RealtimeSettings;
import io.realtime.adapter.web.HandshakeDecision;
import io.realtime.adapter.web.HandshakeRequest;
import io.realtime.adapter.web.Listener;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.ServerLifecycle;
import io.realtime.adapter.web.ServerThreads;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WriterLane;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketHandshakeException;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioIoThread;

/**
 * The realtime node on Undertow 2.3 (core API, no servlets): {@code /ws} upgrades decided by
 * the web adapter before they happen (refusals are plain HTTP answers with a JSON body), every
 * other path served by the web adapter's HTTP routes, all on one listener.
 *
 * <pre>{@code
 * try (RealtimeServer server = new UndertowRealtimeServer(web)) {
 *   server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Limits from {@link RealtimeSettings}: text and binary messages up to {@code maxFrameBytes}
 * (larger ones close with 1009), idle timeout of three heartbeats (the core's heartbeat closes
 * silent peers sooner), and the same bound on how long one frame may take to be written, so a
 * peer that stopped reading cannot hold its socket, since Undertow has no outbound queue limit
 * of its own behind the web adapter's {@code OutboundQueue}. A peer gets
 * {@link #CLOSE_TIMEOUT} to answer the server's close frame before its socket is cut.
 *
 * <p>Threading: lifecycle methods are for one thread. Undertow's I/O threads
 * ({@link ServerThreads#IO}) only read, write and hand over: handshake decisions, HTTP routes
 * and client messages run on its worker threads ({@link ServerThreads#HANDLERS}), since each
 * may block briefly. No Undertow or XNIO type appears in this class's public API.
 */
public final class UndertowRealtimeServer implements RealtimeServer {
  /** How long a peer may take to answer the server's close frame before the socket is cut. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * Largest request head (request line and headers), as Jetty's default: Undertow's own is
   * 1 MiB. Larger heads are refused with 400 (Jetty: 431).
   */
  static final int MAX_HEADER_BYTES = 8 * 1024;
  /** How long {@code Undertow.stop()} waits for worker tasks before interrupting them. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(UndertowRealtimeServer.class);
  private static final String WS_PATH = "/ws";
  /** The peers a channel removes itself from when it closes: none, nothing lists them. */
  private static final Set<WebSocketChannel> NO_PEERS = Collections.emptySet();

  private final WebAdapter web;
  private final RealtimeSettings settings;
  private final Handshake handshake = new Hybi13Handshake(); // RFC 6455 only, as Jetty
  private final HttpHandler http;
  private final GracefulShutdownHandler graceful;
  private final Undertow undertow;
  private final UndertowWebSocketEndpoint.Limits limits;
  private final ServerLifecycle lifecycle;
  /** One writer lane per I/O thread. */
  private final Map<XnioIoThread, WriterLane> lanes = new ConcurrentHashMap<>();
  private volatile int port = -1;

  public UndertowRealtimeServer(WebAdapter web) {
    this.web = Objects.requireNonNull(web, "web");
    this.settings = web.settings();
    this.limits = new UndertowWebSocketEndpoint.Limits(settings.maxFrameBytes(),
        settings.idleTimeout(), settings.idleTimeout(), CLOSE_TIMEOUT);
    http = new UndertowHttpHandler(web, settings.maxRequestBytes());
    graceful = new GracefulShutdownHandler(this::route); // counts requests, for the drain
    int idleMillis = (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis());
    undertow = Undertow.builder()
        .addHttpListener(settings.port(), settings.host())
        .setIoThreads(ServerThreads.IO)
        .setWorkerThreads(ServerThreads.HANDLERS)
        .setSocketOption(Options.BACKLOG, Listener.BACKLOG)
        .setWorkerOption(Options.WORKER_NAME, "realtime-undertow")
        .setServerOption(UndertowOptions.IDLE_TIMEOUT, idleMillis)
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
        .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, (int) STOP_TIMEOUT.toMillis())
        .setHandler(graceful)
        .build();
    lifecycle = new ServerLifecycle(transport(), web, this::requestsFinished, this::stopQuietly);
  }

  @Override
  public void start() {
    lifecycle.start(() -> {
      undertow.start();
      SocketAddress bound = undertow.getListenerInfo().get(0).getAddress();
      port = ((InetSocketAddress) bound).getPort();
    }, this::port);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String transport() {
    return "undertow";
  }

  @Override
  public boolean drainAndStop(Duration timeout) {
    return lifecycle.drainAndStop(timeout);
  }

  @Override
  public void close() {
    drainAndStop(settings.drainTimeout());
  }

  /** Exactly {@code /ws} to the gate, as Jetty maps it (Undertow's exact paths take /ws/ too). */
  private void route(HttpServerExchange exchange) throws Exception {
    if (WS_PATH.equals(exchange.getRequestPath())) {
      gate(exchange);
    } else {
      http.handleRequest(exchange);
    }
  }

  /**
   * The {@code /ws} route: a WebSocket upgrade is decided by the web adapter on a worker
   * (token checks may block), then refused with a plain answer or handed to Undertow's
   * handshake; anything else is a plain request (400 {@code upgrade_required}).
   */
  private void gate(HttpServerExchange exchange) throws Exception {
    if (!UndertowExchange.isUpgrade(exchange, handshake)) {
      http.handleRequest(exchange);
      return;
    }
    if (exchange.isInIoThread()) {
      exchange.dispatch(this::gate);
      return;
    }
    HandshakeDecision decision = null;
    try {
      decision = web.handshake(new HandshakeRequest(
          UndertowExchange.rawPath(exchange), UndertowExchange.query(exchange),
          UndertowExchange.headers(exchange), UndertowExchange.remoteAddress(exchange)));
      if (decision instanceof HandshakeDecision.Accept accept) {
        exchange.addResponseCommitListener(UndertowRealtimeServer::rfc6455Head);
        if (!accept.subprotocol().isEmpty()) {
          // Undertow's handshake keeps a protocol already set when it selects none itself
          exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_PROTOCOL, accept.subprotocol());
        }
        upgrade(exchange, accept);
        return;
      }
      UndertowExchange.write(exchange, ((HandshakeDecision.Refuse) decision).toResponse());
    } catch (Exception e) { // never throw into Undertow: answer in protocol terms
      if (decision instanceof HandshakeDecision.Accept accept) {
        web.abandon(accept);
      }
      log.error("ws.upgrade_failed transport=undertow error={}", e.toString(), e);
      UndertowExchange.fail(exchange);
    }
  }

  /**
   * Trims Undertow's 101 to what RFC 6455 (and Jetty) sends: Undertow adds headers of older
   * drafts, {@code Sec-WebSocket-Location} (the whole URL, so a {@code ?token=} too) and an
   * echo of {@code Origin}, and spells {@code Upgrade: WebSocket}.
   */
  private static void rfc6455Head(HttpServerExchange exchange) {
    HeaderMap headers = exchange.getResponseHeaders();
    headers.remove(Headers.SEC_WEB_SOCKET_LOCATION);
    headers.remove(Headers.SEC_WEB_SOCKET_ORIGIN);
    headers.remove(Headers.ORIGIN);
    if (headers.contains(Headers.UPGRADE)) {
      headers.put(Headers.UPGRADE, "websocket");
    }
  }

  /**
   * Undertow's RFC 6455 handshake, done as its {@code WebSocketProtocolHandshakeHandler} does
   * it, less what that handler needs: the set of every open channel it keeps (an entry per
   * socket; nothing here lists them) and an attachment to carry the decision to its connection
   * callback. The channel is made once the 101 is written.
   */
  private void upgrade(HttpServerExchange exchange, HandshakeDecision.Accept accept)
      throws WebSocketHandshakeException {
    AsyncWebSocketHttpServerExchange facade = new AsyncWebSocketHttpServerExchange(exchange,
        NO_PEERS);
    exchange.upgradeChannel((connection, upgraded) -> {
      WebSocketChannel channel = handshake.createChannel(facade, connection,
          facade.getBufferPool());
      release(upgraded);
      new UndertowWebSocketEndpoint(web, accept, channel, laneOf(channel), limits).open();
    });
    handshake.handshake(facade);
  }

  /** The writer lane of the channel's I/O thread, made when its first socket opens. */
  private WriterLane laneOf(WebSocketChannel channel) {
    return lanes.computeIfAbsent(channel.getIoThread(),
        io -> new WriterLane(io, throughWorker(io, channel.getWorker())));
  }

  /**
   * Where a lane on {@code io} queues its next turn after one used its share. XNIO runs every
   * task its I/O thread was given before it selects again, so a turn queued straight back
   * would keep the selector (the sockets' reads, the API's requests) waiting until the lane
   * is empty; handed to a worker first, it comes back once the I/O thread has selected
   * (half the CPU per delivered frame under a saturating broadcast: docs/BENCHMARKS.md).
   */
  private static Executor throughWorker(XnioIoThread io, Executor worker) {
    return turn -> worker.execute(() -> {
      try {
        io.execute(turn);
      } catch (RejectedExecutionException e) { // the I/O thread is stopping: its sends fail
        turn.run();
      }
    });
  }

  /**
   * Lets go of what the finished handshake request holds. Undertow keeps the upgrade's HTTP
   * connection for the socket's whole life (in its listener's set of open connections, and as
   * the socket's close listener), and with it the exchange: its request and response headers
   * and query were ~2 KB of every idle connection's heap, the token in {@code ?token=} among
   * them. The channel is made by now and reads none of it again. Out of reach here: the HTTP
   * parser's buffer, which still holds the tail of the longest header value it parsed (a
   * bearer token's signature; docs/BENCHMARKS.md, "Connect storms").
   */
  private static void release(HttpServerExchange exchange) {
    exchange.getRequestHeaders().clear();
    exchange.getResponseHeaders().clear();
    exchange.getQueryParameters().clear();
    exchange.getPathParameters().clear();
    exchange.setQueryString("");
  }

  /** Stops taking HTTP requests and waits for those in flight; false if some were still running. */
  private boolean requestsFinished(Duration timeout) {
    graceful.shutdown();
    try {
      return graceful.awaitShutdown(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stopQuietly() {
    try {
      undertow.stop(); // closes the listener, then the worker within STOP_TIMEOUT
    } catch (RuntimeException e) {
      log.warn("server.stop_failed transport=undertow error={}", e.toString());
    }
  }
}
