package io.realtime.adapter.jetty;

import io.realtime.port.in.RealtimeSettings;
import io.realtime.adapter.web.HandshakeDecision;
import io.realtime.adapter.web.HandshakeRequest;
import io.realtime.adapter.web.HttpResponse;
import io.realtime.adapter.web.Listener;
import io.realtime.adapter.web.OutboundQueue;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.ServerLifecycle;
import io.realtime.adapter.web.ServerThreads;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WriterLane;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime node on Jetty 12 (core API, no servlets; Jetty's WebSocket core, not its
 * WebSocket API): {@code /ws} upgrades decided by the web adapter before they happen (refusals
 * are plain HTTP answers with a JSON body), every other path served by the web adapter's HTTP
 * routes, all on one port.
 *
 * <pre>{@code
 * try (RealtimeServer server = new JettyRealtimeServer(web)) {
 *   server.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Limits from {@link RealtimeSettings}: text and binary messages up to {@code maxFrameBytes}
 * (Jetty closes larger ones with 1009), idle timeout of three heartbeats (the core's heartbeat
 * closes silent peers sooner), and a bound on frames Jetty itself queues per socket as a
 * safety net behind the web adapter's {@code OutboundQueue}.
 *
 * <p>Threading: lifecycle methods are for one thread; upgrades and requests run on Jetty's
 * pool, sized by {@link ServerThreads}, and so do the sockets' {@link WriterLane}s, one per I/O
 * thread. No Jetty type appears in this class's public API.
 */
public final class JettyRealtimeServer implements RealtimeServer {
  /**
   * Frames Jetty may hold per socket: one batch in flight from the outbound queue, plus
   * pings and the close frame, with room to spare. Beyond it Jetty fails a send and keeps the
   * connection, which would lose a batched frame.
   */
  static final int MAX_OUTGOING_FRAMES = OutboundQueue.MAX_BATCH + 16;

  private static final Logger log = LoggerFactory.getLogger(JettyRealtimeServer.class);

  private final WebAdapter web;
  private final RealtimeSettings settings;
  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final ServerLifecycle lifecycle;
  private final WriterLane[] lanes = new WriterLane[ServerThreads.IO];
  private final AtomicInteger nextLane = new AtomicInteger();

  public JettyRealtimeServer(WebAdapter web) {
    this.web = Objects.requireNonNull(web, "web");
    this.settings = web.settings();
    // one pool for Jetty's acceptor and selectors and the handlers: as many threads as
    // Undertow's I/O and worker threads together, not Jetty's 200 grown in a connect storm
    QueuedThreadPool threads = new QueuedThreadPool(ServerThreads.IO + ServerThreads.HANDLERS, 8);
    threads.setName("realtime-jetty");
    server = new Server(threads);
    Arrays.setAll(lanes, i -> new WriterLane(threads));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false); // no product banner in every answer
    // topics may hold '/': /api/v1/presence/chat%2Froom must reach the routes, which decode the
    // raw path themselves (every transport passes it raw); nothing here maps paths to files
    http.setUriCompliance(UriCompliance.DEFAULT.with("realtime",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setAcceptQueueSize(Listener.BACKLOG);
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setStopTimeout(0); // drainAndStop does the waiting: idle keep-alives must not hold it

    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler(
        WebSocketServerComponents.ensureWebSocketComponents(server, context));
    Configuration c = upgrades.getConfiguration();
    c.setMaxTextMessageSize(settings.maxFrameBytes());
    c.setMaxBinaryMessageSize(settings.maxFrameBytes());
    c.setMaxFrameSize(settings.maxFrameBytes());
    c.setIdleTimeout(settings.idleTimeout());
    c.setMaxOutgoingFrames(MAX_OUTGOING_FRAMES);
    upgrades.addMapping("/ws", this::upgrade);
    // as blocking as the routes under it, which it takes after: a handshake may wait on a key fetch
    Handler routes = new JettyHttpHandler(web, settings.maxRequestBytes());
    upgrades.setHandler(routes);
    context.setHandler(new Handler.Wrapper(upgrades) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        // only a whole handshake reaches the upgrade: Jetty refuses a partial one in HTML
        return JettyExchange.isUpgrade(request) ? super.handle(request, response, callback)
            : routes.handle(request, response, callback);
      }
    });
    graceful = new GracefulHandler(context); // counts HTTP requests in flight, for the drain
    server.setHandler(graceful);
    lifecycle = new ServerLifecycle(transport(), web, this::requestsFinished, this::stopQuietly);
  }

  @Override
  public void start() {
    lifecycle.start(server::start, this::port);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String transport() {
    return "jetty";
  }

  @Override
  public boolean drainAndStop(Duration timeout) {
    return lifecycle.drainAndStop(timeout);
  }

  @Override
  public void close() {
    drainAndStop(settings.drainTimeout());
  }

  /** Jetty's WebSocketNegotiator: accept with a frame handler, or write the refusal; null. */
  private FrameHandler upgrade(ServerUpgradeRequest request, ServerUpgradeResponse response,
      Callback callback) {
    HandshakeDecision decision = null;
    try {
      decision = web.handshake(new HandshakeRequest(
          request.getHttpURI().getPath(), JettyExchange.query(request),
          JettyExchange.headers(request), JettyExchange.remoteAddress(request)));
      if (decision instanceof HandshakeDecision.Accept accept) {
        // no permessage-deflate (as Undertow): a broadcast would be deflated per recipient
        response.setExtensions(List.of());
        if (!accept.subprotocol().isEmpty()) {
          response.setAcceptedSubProtocol(accept.subprotocol());
        }
        return new JettyWebSocketEndpoint(web, accept, nextLane());
      }
      JettyExchange.write(response, ((HandshakeDecision.Refuse) decision).toResponse(), callback);
      return null;
    } catch (RuntimeException e) { // never throw into Jetty: answer in protocol terms
      if (decision instanceof HandshakeDecision.Accept accept) {
        web.abandon(accept);
      }
      log.error("ws.upgrade_failed transport=jetty error={}", e.toString(), e);
      JettyExchange.write(response, HttpResponse.error(500, "internal_error",
          "the server failed on this request"), callback);
      return null;
    }
  }

  /** The writer lane of a new socket: taken in turn, so that sockets spread evenly. */
  private WriterLane nextLane() {
    return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
  }

  /** Stops taking HTTP requests and waits for those in flight; false if some were still running. */
  private boolean requestsFinished(Duration timeout) {
    try {
      graceful.shutdown().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      log.warn("server.graceful_failed transport=jetty error={}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("server.stop_failed transport=jetty error={}", e.toString());
    }
  }
}
