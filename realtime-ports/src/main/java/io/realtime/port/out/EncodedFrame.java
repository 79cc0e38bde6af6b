package io.realtime.port.out;

import java.util.Objects;

/** A server frame encoded once, shared by every recipient: transports write its text as-is. */
public record EncodedFrame(String text) {
  public EncodedFrame {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
