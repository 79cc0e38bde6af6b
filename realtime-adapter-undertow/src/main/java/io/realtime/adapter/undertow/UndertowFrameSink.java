package io.realtime.adapter.undertow;

import io.realtime.adapter.web.FrameSink;
import io.realtime.adapter.web.WriterLane;
import io.realtime.port.out.EncodedFrame;
import io.undertow.util.WorkerUtils;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * {@link FrameSink} over an Undertow WebSocket channel: the queue's writer runs on the
 * channel's I/O thread (through that thread's {@link WriterLane}), where a send is written at
 * once and completes inline, or later on the same thread when the socket is full. Thread-safe
 * (Undertow queues frames from any thread in the order they are sent); never blocks.
 *
 * <p>Why the I/O thread: a send from any other thread makes Undertow queue a flush task on it
 * and, as the write is then still pending, a write listener and a timeout task per frame. A
 * batch holds Undertow's flush ({@code requireExplicitFlush}) from its first frame to its last,
 * so the batch leaves in one gathering write.
 *
 * <p>Undertow bounds nothing by itself, so this sink does: a text frame not written within
 * {@code writeTimeout} closes the channel (its callback then fails); after {@link #close} the
 * channel is cut if the peer has not taken the close frame within {@code writeTimeout}, or
 * not answered it within {@code closeTimeout} of its being written.
 */
final class UndertowFrameSink implements FrameSink {
  private static final Logger log = LoggerFactory.getLogger(UndertowFrameSink.class);
  private static final WebSocketCallback<Void> IGNORE = new WebSocketCallback<>() {
    @Override
    public void complete(WebSocketChannel channel, Void context) {
      // a ping went out
    }

    @Override
    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
      // a lost ping is no reason to close: the heartbeat decides
    }
  };

  /** A batched frame has no callback of its own: a failure cuts the channel, failing the rest. */
  private static final WebSocketCallback<Void> CUT_ON_ERROR = new WebSocketCallback<>() {
    @Override
    public void complete(WebSocketChannel channel, Void context) {
      // written; the batch's last frame reports
    }

    @Override
    public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
      IoUtils.safeClose(channel);
    }
  };

  private final WebSocketChannel channel;
  private final WriterLane lane;
  private final long writeTimeoutMillis;
  private final long closeTimeoutMillis;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closeWritten;
  private SendCallback adaptedFor;
  private WebSocketCallback<Void> adapted;

  /** @param lane the writer lane of the channel's I/O thread */
  UndertowFrameSink(WebSocketChannel channel, WriterLane lane, Duration writeTimeout,
      Duration closeTimeout) {
    this.channel = channel;
    this.lane = lane;
    this.writeTimeoutMillis = Math.max(1, writeTimeout.toMillis());
    this.closeTimeoutMillis = Math.max(1, closeTimeout.toMillis());
  }

  /** At once on the channel's I/O thread; from any other, on that thread's lane. */
  @Override
  public void runWriter(Runnable writer) {
    if (Thread.currentThread() == channel.getIoThread()) {
      writer.run();
    } else {
      lane.execute(writer);
    }
  }

  /** Ends a batch, if one was open: its frames and this one go out in one flush. */
  @Override
  public void sendText(EncodedFrame frame, SendCallback done) {
    channel.setRequireExplicitFlush(false);
    WebSockets.sendText(frame.utf8(), channel, adapted(done), writeTimeoutMillis);
  }

  /**
   * Queued in the channel with its flush held until the batch's {@link #sendText}. No timeout
   * of its own: the batch's last frame cannot be written before it.
   */
  @Override
  public void sendTextBatched(EncodedFrame frame) {
    channel.setRequireExplicitFlush(true);
    WebSockets.sendText(frame.utf8(), channel, CUT_ON_ERROR, -1);
  }

  /**
   * Undertow's callback for {@code done}, made once: the queue passes the same callback to
   * every send, so a fan-out does not allocate one per recipient. Sends come one at a time
   * (the queue's writer flag orders them), so plain fields are enough.
   */
  private WebSocketCallback<Void> adapted(SendCallback done) {
    if (adaptedFor != done) {
      adapted = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel ch, Void context) {
          try {
            done.succeeded();
          } catch (RuntimeException e) {
            log.error("ws.callback_failed transport=undertow error={}", e.toString(), e);
          }
        }

        @Override
        public void onError(WebSocketChannel ch, Void context, Throwable cause) {
          try {
            done.failed(cause);
          } catch (RuntimeException e) {
            log.error("ws.callback_failed transport=undertow error={}", e.toString(), e);
          }
        }
      };
      adaptedFor = done;
    }
    return adapted;
  }

  @Override
  public void sendPing() {
    channel.setRequireExplicitFlush(false); // a held batch then flushes frame by frame: correct
    WebSockets.sendPing(ByteBuffer.allocate(0), channel, IGNORE);
  }

  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    // the close frame queues behind frames already sent; if the peer never takes it, cut
    cutAfter(writeTimeoutMillis);
    channel.setRequireExplicitFlush(false); // a batch cut short by the close must not hold it
    WebSockets.sendClose(code, reason, channel, new WebSocketCallback<Void>() {
      @Override
      public void complete(WebSocketChannel ch, Void context) {
        closeWritten = true;
        if (ch.isCloseFrameReceived()) {
          IoUtils.safeClose(ch); // both close frames are through: the handshake is done
        } else {
          cutAfter(closeTimeoutMillis); // give the peer time to answer, not forever
        }
      }

      @Override
      public void onError(WebSocketChannel ch, Void context, Throwable cause) {
        log.debug("ws.close_failed transport=undertow code={} error={}", code, cause.toString());
        IoUtils.safeClose(ch);
      }
    });
  }

  /**
   * Undertow sent a close frame by itself (1009 for an oversized message, 1002 for a broken
   * frame): cut the channel if the peer has not answered within the close timeout.
   */
  void closeFrameSent() {
    if (closing.compareAndSet(false, true)) {
      cutAfter(closeTimeoutMillis);
    }
  }

  /**
   * The peer's close frame arrived. If the server's own close is written, the handshake is
   * over: close now (Undertow closes only when its close goes out after the peer's). If a
   * close of Undertow's own is still pending, bound the wait for it.
   */
  void peerClosed() {
    if (closeWritten) {
      IoUtils.safeClose(channel);
    } else if (channel.isCloseFrameSent() && closing.compareAndSet(false, true)) {
      cutAfter(closeTimeoutMillis);
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen() && !channel.isCloseFrameSent();
  }

  /** Closes the channel after {@code millis} unless it closed by then. */
  private void cutAfter(long millis) {
    try {
      XnioExecutor.Key key = WorkerUtils.executeAfter(channel.getIoThread(), () -> {
        if (channel.isOpen()) {
          log.debug("ws.close_timeout transport=undertow");
          IoUtils.safeClose(channel);
        }
      }, millis, TimeUnit.MILLISECONDS);
      channel.addCloseTask(ch -> key.remove());
    } catch (RuntimeException e) { // the I/O thread is stopping: cut now
      IoUtils.safeClose(channel);
    }
  }
}
