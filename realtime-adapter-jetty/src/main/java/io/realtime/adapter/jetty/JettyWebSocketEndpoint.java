package io.realtime.adapter.jetty;

import io.realtime.adapter.web.HandshakeDecision;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.adapter.web.WebSocketBridge;
import io.realtime.adapter.web.WriterLane;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.CloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's listener for one accepted socket: maps each callback onto the shared
 * {@link WebSocketBridge}. Public only because Jetty reaches listener methods through method
 * handles; it is not part of this module's API (made by {@link JettyRealtimeServer}).
 *
 * <p>Threading: Jetty calls the message callbacks one at a time; close and error may come from
 * another thread, even before {@link #onWebSocketOpen} has finished. No callback throws.
 */
public final class JettyWebSocketEndpoint implements Session.Listener.AutoDemanding {
  private static final Logger log = LoggerFactory.getLogger(JettyWebSocketEndpoint.class);

  private final WebAdapter web;
  private final HandshakeDecision.Accept accepted;
  private final WriterLane lane;
  private volatile WebSocketBridge bridge;
  private volatile boolean closedEarly;

  JettyWebSocketEndpoint(WebAdapter web, HandshakeDecision.Accept accepted,
      WriterLane lane) {
    this.web = web;
    this.accepted = accepted;
    this.lane = lane;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    try {
      WebSocketBridge b = web.connect(accepted, new JettyFrameSink(session, lane));
      bridge = b;
      if (closedEarly) { // the socket went away while the core was opening it
        b.onClose(1006, "closed during open");
      }
    } catch (RuntimeException e) {
      web.abandon(accepted);
      log.error("ws.open_failed transport=jetty error={}", e.toString(), e);
      session.close(1011, "server error", Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketText(String message) {
    WebSocketBridge b = bridge;
    if (b != null) {
      b.onText(message);
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      WebSocketBridge b = bridge;
      if (b != null) {
        b.onBinary();
      }
    } finally {
      callback.succeed(); // releases the buffer and, auto-demanding, asks for the next frame
    }
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    WebSocketBridge b = bridge;
    if (b != null) {
      b.onPong();
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    try {
      closedEarly = true;
      WebSocketBridge b = bridge;
      if (b != null) {
        b.onClose(statusCode, reason);
      } else {
        web.abandon(accepted); // closed before it opened: its place under the caps goes back
      }
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closedEarly = true;
    WebSocketBridge b = bridge;
    if (b == null) {
      web.abandon(accepted);
      return;
    }
    if (cause instanceof CloseException close) {
      // Jetty closes for a reason of its own (1009 for an oversized message, 1002 or 1007 for
      // a broken frame) and reports it here first: count the close by its code, as Undertow
      // does, not as a failure; the onWebSocketClose that follows then does nothing
      b.onClose(close.getStatusCode(), String.valueOf(close.getMessage()));
    } else {
      b.onError(cause);
    }
  }
}
