package io.realtime.adapter.jetty;

import io.realtime.adapter.web.FrameSink;
import io.realtime.adapter.web.WriterLane;
import io.realtime.port.out.EncodedFrame;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * {@link FrameSink} over a Jetty session: the queue's writer runs on the socket's
 * {@linkplain WriterLane writer lane}, where a send is written at once and completes inline,
 * or later on Jetty's threads when the socket is full. Thread-safe (Jetty sessions accept
 * sends from any thread); never blocks.
 *
 * <p>Text frames go to Jetty's core session as the frame's shared UTF-8 bytes: the API's
 * {@code sendText(String)} would encode the same text again for every recipient.
 */
final class JettyFrameSink implements FrameSink {
  private final Session session;
  private final CoreSession core;
  private final WriterLane lane;
  private SendCallback adaptedFor;
  private org.eclipse.jetty.util.Callback adapted;
  private org.eclipse.jetty.util.Callback abortOnFailure;

  JettyFrameSink(Session session, WriterLane lane) {
    this.session = session;
    this.lane = lane;
    this.core = session instanceof WebSocketSession s ? s.getCoreSession() : null;
  }

  /** On the socket's lane, where a backlog offered meanwhile leaves as one batch. */
  @Override
  public void runWriter(Runnable writer) {
    lane.execute(writer);
  }

  @Override
  public void sendText(EncodedFrame frame, SendCallback done) {
    if (core == null) { // another Session implementation: its own encoding, same contract
      session.sendText(frame.text(), Callback.from(done::succeeded, done::failed));
      return;
    }
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
    if (core == null) {
      session.sendText(frame.text(), Callback.from(() -> { }, e -> session.disconnect()));
      return;
    }
    core.sendFrame(new Frame(OpCode.TEXT, frame.utf8()), abortOnFailure(), true);
  }

  /** Made on the first batch: most connections never fall behind. */
  private org.eclipse.jetty.util.Callback abortOnFailure() {
    if (abortOnFailure == null) {
      abortOnFailure = org.eclipse.jetty.util.Callback.from(() -> { }, e -> core.abort());
    }
    return abortOnFailure;
  }

  /**
   * Jetty's callback for {@code done}, made once: the queue passes the same callback to every
   * send, so a fan-out does not allocate one per recipient. Sends come one at a time (the
   * queue's writer flag orders them), so plain fields are enough.
   */
  private org.eclipse.jetty.util.Callback adapted(SendCallback done) {
    if (adaptedFor != done) {
      adapted = org.eclipse.jetty.util.Callback.from(done::succeeded, done::failed);
      adaptedFor = done;
    }
    return adapted;
  }

  @Override
  public void sendPing() {
    session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, Callback.NOOP);
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }
}
