package io.realtime.adapter.jetty;

import io.realtime.adapter.web.FrameSink;
import io.realtime.adapter.web.WriterLane;
import io.realtime.port.out.EncodedFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * {@link FrameSink} over Jetty's core session: the queue's writer runs on the socket's
 * {@linkplain WriterLane writer lane}, where a send is written at once and completes inline,
 * or later on Jetty's threads when the socket is full. Thread-safe (core sessions accept
 * frames from any thread); never blocks.
 *
 * <p>Text frames carry the frame's shared UTF-8 bytes: nothing is encoded per recipient.
 */
final class JettyFrameSink implements FrameSink {
  private final CoreSession core;
  private final WriterLane lane;
  private SendCallback adaptedFor;
  private Callback adapted;
  private Callback abortOnFailure;

  JettyFrameSink(CoreSession core, WriterLane lane) {
    this.core = core;
    this.lane = lane;
  }

  /** On the socket's lane, where a backlog offered meanwhile leaves as one batch. */
  @Override
  public void runWriter(Runnable writer) {
    lane.execute(writer);
  }

  @Override
  public void sendText(EncodedFrame frame, SendCallback done) {
    core.sendFrame(new Frame(OpCode.TEXT, frame.utf8()), adapted(done), false);
  }

  /**
   * Jetty's batch mode: a small frame is copied into the session's batch buffer and goes out
   * with the batch's last frame, the one {@link #sendText} sends without batch mode, in one
   * write. Jetty may fail one frame and keep the connection (too many queued): a batched frame
   * that fails aborts the connection, so that the batch's last send fails too and nothing is
   * lost silently.
   */
  @Override
  public void sendTextBatched(EncodedFrame frame) {
    core.sendFrame(new Frame(OpCode.TEXT, frame.utf8()), abortOnFailure(), true);
  }

  /** Made on the first batch: most connections never fall behind. */
  private Callback abortOnFailure() {
    if (abortOnFailure == null) {
      abortOnFailure = Callback.from(() -> { }, e -> core.abort());
    }
    return abortOnFailure;
  }

  /**
   * Jetty's callback for {@code done}, made once: the queue passes the same callback to every
   * send, so a fan-out does not allocate one per recipient. Sends come one at a time (the
   * queue's writer flag orders them), so plain fields are enough.
   */
  private Callback adapted(SendCallback done) {
    if (adaptedFor != done) {
      adapted = Callback.from(done::succeeded, done::failed);
      adaptedFor = done;
    }
    return adapted;
  }

  @Override
  public void sendPing() {
    core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
  }

  @Override
  public void close(int code, String reason) {
    core.close(code, reason, Callback.NOOP);
  }

  @Override
  public boolean isOpen() {
    return core.isOutputOpen();
  }
}
