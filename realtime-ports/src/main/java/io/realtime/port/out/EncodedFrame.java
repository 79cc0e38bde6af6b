package io.realtime.port.out;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A server frame encoded once and shared by every recipient: transports write its text as-is,
 * or its UTF-8 bytes, which are also encoded once, by the first recipient's transport that
 * asks, so a broadcast to N sockets does not convert the same text N times.
 *
 * <p>Immutable and thread-safe. Equal when the text is.
 */
public final class EncodedFrame {
  private final String text;
  private volatile byte[] utf8; // benign race: two first readers both encode the same bytes

  public EncodedFrame(String text) {
    this.text = Objects.requireNonNull(text, "text");
  }

  public String text() {
    return text;
  }

  /**
   * The frame's UTF-8 bytes as a fresh buffer over one shared array, positioned at 0: a
   * transport may move its position and limit, and must never write into it.
   */
  public ByteBuffer utf8() {
    byte[] bytes = utf8;
    if (bytes == null) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
      utf8 = bytes;
    }
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EncodedFrame f && text.equals(f.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
