package io.realtime.port.out;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodedFrameTest {
  private final EncodedFrame frame = new EncodedFrame("{\"payload\":\"héllo ✓ 😀\"}");

  @Test
  void utf8IsTheTextsBytes() {
    ByteBuffer bytes = frame.utf8();
    byte[] read = new byte[bytes.remaining()];
    bytes.get(read);
    assertArrayEquals(frame.text().getBytes(StandardCharsets.UTF_8), read);
  }

  @Test
  void everyRecipientGetsItsOwnPositionOverOneSharedArray() {
    ByteBuffer first = frame.utf8();
    first.position(first.limit()); // as a transport that wrote it all
    ByteBuffer second = frame.utf8();
    assertEquals(0, second.position());
    assertEquals(first.limit(), second.remaining());
    assertSame(first.array(), second.array(), "encoded once, not per recipient");
  }

  @Test
  void equalByText() {
    assertEquals(new EncodedFrame("a"), new EncodedFrame("a"));
    assertEquals(new EncodedFrame("a").hashCode(), new EncodedFrame("a").hashCode());
    assertNotEquals(new EncodedFrame("a"), new EncodedFrame("b"));
    assertEquals("a", new EncodedFrame("a").toString());
    assertThrows(NullPointerException.class, () -> new EncodedFrame(null));
  }
}
