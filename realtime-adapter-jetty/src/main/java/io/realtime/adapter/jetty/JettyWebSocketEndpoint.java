package io.realtime.adapter.jetty;

import io.realtime.adapter.web.HandshakeDecision;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSocketBridge;
import io.realtime.adapter.web.WriterLane;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.CloseException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.eclipse.jetty.websocket.core.messages.StringMessageSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's core frame handler for one accepted socket: maps each frame onto the shared
 * {@link WebSocketBridge}. Jetty's WebSocket API layer is not used: it kept the upgrade request
 * (and with it the HTTP connection and parser, ~2 KB) and bound method handles for every socket,
 * and allocated two futures per frame read.
 *
 * <p>Text messages are assembled by Jetty's {@link StringMessageSink} (fragments, the size limit
 * with 1009, UTF-8 checked with 1007); a binary message is counted against the same limit and
 * answered once it is complete, its bytes not kept. Pings are answered with the same payload.
 *
 * <p>Threading: Jetty delivers frames one at a time, each after the previous one's demand; close
 * and error may come from another thread, even before {@link #onOpen} has finished. No method
 * throws.
 */
final class JettyWebSocketEndpoint implements FrameHandler {
  private static final Logger log = LoggerFactory.getLogger(JettyWebSocketEndpoint.class);

  private final WebAdapter web;
  private final HandshakeDecision.Accept accepted;
  private final WriterLane lane;
  private volatile WebSocketBridge bridge;
  private volatile boolean closedEarly;
  private CoreSession session;
  private StringMessageSink texts;
  /** Whether the data message being received (its continuations) is text, not binary. */
  private boolean text;
  private long binaryBytes;

  JettyWebSocketEndpoint(WebAdapter web, HandshakeDecision.Accept accepted, WriterLane lane) {
    this.web = web;
    this.accepted = accepted;
    this.lane = lane;
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    session = coreSession;
    try {
      texts = new StringMessageSink(coreSession, this::deliverText, true);
      WebSocketBridge b = web.connect(accepted, new JettyFrameSink(coreSession, lane));
      bridge = b;
      if (closedEarly) { // the socket went away while the core was opening it
        b.onClose(1006, "closed during open");
      }
      callback.succeeded();
      coreSession.demand();
    } catch (RuntimeException e) {
      web.abandon(accepted);
      log.error("ws.open_failed transport=jetty error={}", e.toString(), e);
      callback.succeeded();
      coreSession.close(CloseStatus.SERVER_ERROR, "server error", Callback.NOOP);
    }
  }

  /** The text sink's delivery: one whole message. */
  private Object deliverText(Object... message) {
    WebSocketBridge b = bridge;
    if (b != null) {
      b.onText((String) message[0]);
    }
    return null;
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    switch (frame.getOpCode()) {
      case OpCode.TEXT -> {
        text = true;
        texts.accept(frame, callback); // demands the next frame itself
      }
      case OpCode.BINARY -> {
        text = false;
        binaryBytes = 0;
        acceptBinary(frame, callback);
      }
      case OpCode.CONTINUATION -> { // the parser refuses one with no message before it
        if (text) {
          texts.accept(frame, callback);
        } else {
          acceptBinary(frame, callback);
        }
      }
      case OpCode.PING -> pong(frame, callback);
      case OpCode.PONG -> {
        WebSocketBridge b = bridge;
        if (b != null) {
          b.onPong();
        }
        demandAfter(callback);
      }
      case OpCode.CLOSE -> {
        closed(CloseStatus.getCloseStatus(frame));
        callback.succeeded(); // Jetty answers the close frame and then calls onClosed
      }
      default -> callback.failed(new IllegalStateException("opcode " + frame.getOpCode()));
    }
  }

  private void acceptBinary(Frame frame, Callback callback) {
    binaryBytes += frame.getPayloadLength();
    long max = session.getMaxBinaryMessageSize();
    if (max > 0 && binaryBytes > max) {
      callback.failed(new MessageTooLargeException(
          "binary message too large: " + binaryBytes + " > " + max));
      return;
    }
    if (frame.isFin()) {
      WebSocketBridge b = bridge;
      if (b != null) {
        b.onBinary();
      }
    }
    demandAfter(callback);
  }

  /** Answers a ping with its payload, which is the read buffer's until the pong is written. */
  private void pong(Frame ping, Callback callback) {
    Frame pong = new Frame(OpCode.PONG);
    if (ping.hasPayload()) {
      pong.setPayload(ping.getPayload());
    }
    // a failed pong means the output is closed: the close that follows says so
    session.sendFrame(pong, Callback.from(() -> demandAfter(callback),
        e -> demandAfter(callback)), false);
  }

  /** Releases the frame's buffer, then asks for the next frame. */
  private void demandAfter(Callback callback) {
    callback.succeeded();
    session.demand();
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    try {
      closedEarly = true;
      WebSocketBridge b = bridge;
      if (b == null) {
        web.abandon(accepted);
      } else if (cause instanceof CloseException close) {
        // Jetty closes for a reason of its own (1009 for an oversized message, 1002 or 1007 for
        // a broken frame) and reports it here first: count the close by its code, as Undertow
        // does, not as a failure; the onClosed that follows then does nothing
        b.onClose(close.getStatusCode(), String.valueOf(close.getMessage()));
      } else {
        b.onError(cause);
      }
    } finally {
      callback.succeeded();
    }
  }

  @Override
  public void onClosed(CloseStatus status, Callback callback) {
    try {
      closed(status);
    } finally {
      callback.succeeded();
    }
  }

  /** Either side's close, told to the bridge (which ignores all but the first). */
  private void closed(CloseStatus status) {
    closedEarly = true;
    WebSocketBridge b = bridge;
    if (b != null) {
      b.onClose(status.getCode(), status.getReason());
    } else {
      web.abandon(accepted); // closed before it opened: its place under the caps goes back
    }
  }
}
