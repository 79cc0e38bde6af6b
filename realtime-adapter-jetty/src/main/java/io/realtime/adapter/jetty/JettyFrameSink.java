package io.realtime.adapter.jetty;

import io.realtime.adapter.web.FrameSink;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@link FrameSink} over a Jetty session: asynchronous sends completing on Jetty's threads.
 * Thread-safe (Jetty sessions accept sends from any thread); never blocks.
 */
final class JettyFrameSink implements FrameSink {
  private final Session session;

  JettyFrameSink(Session session) {
    this.session = session;
  }

  @Override
  public void sendText(String text, SendCallback done) {
    session.sendText(text, Callback.from(done::succeeded, done::failed));
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
