package io.realtime.adapter.web;

import io.realtime.domain.CloseReason;
import io.realtime.domain.ConnectionId;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase.OpenRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket, from open to close: the glue every transport shares, so a transport
 * only maps its callbacks onto {@link #onText}, {@link #onBinary}, {@link #onPong},
 * {@link #onClose} and {@link #onError}. Made by {@link WebAdapter#connect} when the transport's
 * socket opens; it opens the core session with an {@link OutboundQueue} over the transport's
 * {@link FrameSink}, so the {@code welcome} is the first frame written, and only once the
 * connection is routable.
 *
 * <p>Threading: the transport calls {@code onText}/{@code onBinary} one at a time (as it reads);
 * the others may come from any thread. No method blocks or throws: a failure in the core is
 * logged and, when it is on open, closes the socket with 1011.
 */
public final class WebSocketBridge {
  private static final Logger log = LoggerFactory.getLogger(WebSocketBridge.class);
  /** A field updated in place, not an AtomicBoolean: one object less per connection. */
  private static final VarHandle ENDED;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(WebSocketBridge.class, "ended", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final OutboundQueue channel;
  private final ClientSession session; // null when the core failed to open it
  private final Runnable onEnd;
  private volatile boolean ended;

  WebSocketBridge(OpenConnectionUseCase open, HandshakeDecision.Accept accepted, FrameSink sink,
      int sendQueue, Linger linger, Runnable onEnd) {
    Objects.requireNonNull(accepted, "accepted");
    // corked: the core queues the welcome before the connection is routable; holding writes
    // until open() returns means a client that has its welcome can already be published to
    this.channel = OutboundQueue.corked(sink, sendQueue, linger);
    this.onEnd = onEnd;
    ClientSession opened = null;
    try {
      opened = open.open(new OpenRequest(accepted.principal(), channel, accepted.metadata()));
    } catch (RuntimeException e) {
      log.error("ws.open_failed userId={} error={}", accepted.principal().user(), e.toString(), e);
      sink.close(OutboundQueue.SEND_FAILED, "server error");
    }
    this.session = opened;
    channel.uncork();
  }

  /** The core's id for this connection; empty before a successful open. */
  public Optional<ConnectionId> connectionId() {
    return session == null ? Optional.empty() : Optional.of(session.id());
  }

  /** The outbound queue the core writes through. */
  public OutboundQueue channel() {
    return channel;
  }

  /** One complete text message from the client. */
  public void onText(String text) {
    channel.inbound();
    if (session != null && !ended) {
      try {
        session.receiveText(text);
      } catch (RuntimeException e) { // the core must not throw; if it does, keep the socket
        log.error("ws.receive_failed connectionId={} error={}", session.id(), e.toString(), e);
      }
    }
  }

  /** One complete binary message: answered with an error, the protocol is text only. */
  public void onBinary() {
    channel.inbound();
    if (session != null && !ended) {
      try {
        session.receiveBinary();
      } catch (RuntimeException e) {
        log.error("ws.receive_failed connectionId={} error={}", session.id(), e.toString(), e);
      }
    }
  }

  /** A pong (or any other sign of life that is not a message). */
  public void onPong() {
    channel.inbound();
    if (session != null && !ended) {
      session.activity();
    }
  }

  /** The socket closed, by either side; later calls do nothing. */
  public void onClose(int code, String reason) {
    end(reasonOf(code));
    log.debug("ws.closed connectionId={} code={} reason={}",
        session == null ? "-" : session.id(), code, reason);
  }

  /** The transport reports a failure; the socket is treated as gone. */
  public void onError(Throwable cause) {
    log.debug("ws.error connectionId={} error={}", session == null ? "-" : session.id(),
        String.valueOf(cause));
    end(CloseReason.ERROR);
  }

  /** What a close code the core did not send says about why the socket ended. */
  static CloseReason reasonOf(int code) {
    return switch (code) {
      case 1009 -> CloseReason.MESSAGE_TOO_BIG; // the transport enforced the frame limit
      case 1006, 1011 -> CloseReason.ERROR; // abnormal: no close frame, or a server failure
      default -> CloseReason.CLIENT;
    };
  }

  private void end(CloseReason reason) {
    if (!ENDED.compareAndSet(this, false, true)) {
      return;
    }
    channel.socketClosed();
    try {
      if (session != null) {
        session.closed(reason);
      }
    } catch (RuntimeException e) {
      log.error("ws.close_failed connectionId={} error={}", session.id(), e.toString(), e);
    } finally {
      onEnd.run();
    }
  }
}
