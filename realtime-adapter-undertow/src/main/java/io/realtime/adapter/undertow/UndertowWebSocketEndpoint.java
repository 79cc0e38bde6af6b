package io.realtime.adapter.undertow;

import io.realtime.adapter.web.HandshakeDecision;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSocketBridge;
import io.realtime.adapter.web.WriterLane;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Undertow's receive listener for one accepted channel: maps each callback onto the shared
 * {@link WebSocketBridge}. Made by {@link UndertowRealtimeServer} when a handshake completes.
 *
 * <p>Threading: Undertow reads on the channel's I/O thread, which must never block, while the
 * core may (a {@code refresh} verifies a token, application handlers run per frame). So each
 * message is handed to a worker with receives suspended until it is done: messages still
 * reach the bridge one at a time and in order, and a busy connection holds one worker, not an
 * I/O thread. Pongs only mark activity and stay on the I/O thread. The core connection is
 * opened on the thread that completed the handshake, before the first read. No callback
 * throws.
 */
final class UndertowWebSocketEndpoint extends AbstractReceiveListener {
  private static final Logger log = LoggerFactory.getLogger(UndertowWebSocketEndpoint.class);
  /** Close code when the socket ends without a close frame (RFC 6455 section 7.1.5). */
  private static final int ABNORMAL = 1006;

  private final WebAdapter web;
  private final HandshakeDecision.Accept accepted;
  private final WebSocketChannel channel;
  private final Executor worker;
  private final Limits limits;
  private final UndertowFrameSink sink;
  private volatile WebSocketBridge bridge;
  private volatile boolean closed;
  private volatile CloseMessage peerClose;

  /**
   * @param maxMessageBytes largest text or binary message; larger ones close with 1009
   * @param idleTimeout silence after which Undertow closes the channel with 1001
   * @param writeTimeout how long one frame may take to be written before the channel is cut
   * @param closeTimeout how long the peer may take to answer the server's close frame
   */
  record Limits(long maxMessageBytes, Duration idleTimeout, Duration writeTimeout,
      Duration closeTimeout) {}

  UndertowWebSocketEndpoint(WebAdapter web, HandshakeDecision.Accept accepted,
      WebSocketChannel channel, WriterLane lane, Limits limits) {
    this.web = web;
    this.accepted = accepted;
    this.channel = channel;
    this.worker = channel.getWorker();
    this.limits = limits;
    this.sink = new UndertowFrameSink(channel, lane, limits.writeTimeout(),
        limits.closeTimeout());
  }

  /**
   * Called once the handshake is done, right after the 101 went out: limits, close task, the
   * core connection (at once, so the client is routable as soon as it can know it is open;
   * opening never blocks), then the first read.
   */
  void open() {
    try {
      channel.setIdleTimeout(limits.idleTimeout().toMillis());
      channel.addCloseTask(ch -> socketClosed());
      channel.getReceiveSetter().set(this);
      WebSocketBridge b = web.connect(accepted, sink);
      bridge = b;
      if (closed) { // the socket went away while the core was opening it
        b.onClose(ABNORMAL, "closed during open");
        return;
      }
      channel.resumeReceives(); // only now: the welcome is queued before any client frame counts
    } catch (RuntimeException e) {
      if (bridge == null) {
        web.abandon(accepted);
      }
      log.error("ws.open_failed transport=undertow error={}", e.toString(), e);
      WebSockets.sendClose(1011, "server error", channel, null);
    }
  }

  @Override
  protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
    String text = message.getData();
    deliver(b -> b.onText(text));
  }

  @Override
  protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
    message.getData().free(); // back to the pool at once: the protocol ignores binary content
    deliver(WebSocketBridge::onBinary);
  }

  @Override
  protected void onFullPongMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
    message.getData().free();
    WebSocketBridge b = bridge;
    if (b != null) {
      b.onPong();
    }
  }

  @Override
  protected void onCloseMessage(CloseMessage message, WebSocketChannel ch) {
    peerClose = message; // reported by the close task, once the channel is closed
  }

  @Override
  protected void onFullCloseMessage(WebSocketChannel ch, BufferedBinaryMessage message)
      throws IOException {
    super.onFullCloseMessage(ch, message); // answers the close if the server had not closed
    sink.peerClosed(); // if the server had: the handshake is over, Undertow leaves it open
  }

  @Override
  protected void onError(WebSocketChannel ch, Throwable cause) {
    WebSocketBridge b = bridge;
    if (ch.isCloseFrameSent()) {
      // Undertow closed for a reason of its own (1009 for an oversized message, 1002 or 1007
      // for a broken frame, 1008 for a ping flood): report its code, as Jetty does, and let
      // the close frame reach the peer; the sink's close timeout cuts the channel if need be
      log.debug("ws.read_failed transport=undertow code={} error={}", ch.getCloseCode(),
          String.valueOf(cause));
      if (b != null) {
        b.onClose(ch.getCloseCode(), String.valueOf(ch.getCloseReason()));
      }
      sink.closeFrameSent();
    } else {
      if (b != null) {
        b.onError(cause);
      }
      IoUtils.safeClose(ch);
    }
  }

  @Override
  protected long getMaxTextBufferSize() {
    return limits.maxMessageBytes();
  }

  @Override
  protected long getMaxBinaryBufferSize() {
    return limits.maxMessageBytes();
  }

  /** Hands one message to a worker, reading nothing more until it is through. */
  private void deliver(Consumer<WebSocketBridge> message) {
    WebSocketBridge b = bridge;
    if (b == null) {
      return;
    }
    channel.suspendReceives();
    try {
      worker.execute(() -> {
        try {
          message.accept(b);
        } catch (RuntimeException e) { // the bridge does not throw; if it does, keep reading
          log.error("ws.receive_failed transport=undertow error={}", e.toString(), e);
        } finally {
          channel.resumeReceives();
        }
      });
    } catch (RejectedExecutionException e) { // the server is stopping
      IoUtils.safeClose(channel);
    }
  }

  private void socketClosed() {
    closed = true;
    WebSocketBridge b = bridge;
    if (b == null) {
      return;
    }
    try {
      CloseMessage peer = peerClose;
      if (peer != null) {
        b.onClose(peer.getCode(), peer.getReason());
      } else {
        b.onClose(ABNORMAL, "socket closed");
      }
    } catch (RuntimeException e) {
      log.error("ws.close_failed transport=undertow error={}", e.toString(), e);
    }
  }
}
