package io.realtime.adapter.web;

import io.realtime.port.out.EncodedFrame;

/**
 * The write side of one WebSocket as a transport offers it: the only transport-specific part
 * of {@link OutboundQueue}. Jetty and Undertow each implement it over their session.
 *
 * <p>Threading: {@link OutboundQueue} writes one batch at a time: zero or more
 * {@link #sendTextBatched} calls, then one {@link #sendText}; the next batch only after that
 * send's callback, from whichever thread completed the previous send or runs the
 * {@linkplain #runWriter writer}.
 * {@link #sendPing} and {@link #close} may come from any thread at any time, also while a text
 * send is in flight. No method may block or throw.
 */
public interface FrameSink {
  /**
   * Starts writing one text frame; {@code done} is called exactly once, possibly before this
   * method returns (on the calling thread) or later on a transport thread. The same frame goes
   * to every recipient of a message: write its {@link EncodedFrame#utf8()} bytes, encoded once,
   * rather than encoding its text again per socket.
   */
  void sendText(EncodedFrame frame, SendCallback done);

  /**
   * Hands over one text frame of a backlog, to be written before the {@link #sendText} that
   * ends the batch and, where the transport can, in the same write: a socket that fell behind
   * catches up with one system call, not one per frame. It has no callback of its own: a
   * frame that cannot be written must make the batch's {@code sendText} fail.
   */
  void sendTextBatched(EncodedFrame frame);

  /**
   * Runs {@code writer}, which writes what the queue holds, where this transport writes best:
   * by default at once, on the calling thread. Both transports run it on a thread of the
   * socket's own instead (Undertow its I/O thread, Jetty its writer lane), so that a publisher
   * offering to many sockets does not write each itself, and what is offered while the writer
   * waits its turn leaves as one batch. Runs {@code writer} exactly once; never blocks.
   */
  default void runWriter(Runnable writer) {
    writer.run();
  }

  /** Sends a ping control frame with an empty payload; failures are ignored. */
  void sendPing();

  /**
   * Starts the close handshake with {@code code} and {@code reason}, after the frames the
   * transport has already accepted; later calls do nothing.
   */
  void close(int code, String reason);

  /** False once the socket is closing or closed. */
  boolean isOpen();

  /** Completion of one {@link #sendText}. Called once, on any thread; must not block. */
  interface SendCallback {
    void succeeded();

    void failed(Throwable cause);
  }
}
