package io.realtime.tck;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client end of an upgraded socket, spoken by hand: it reads only when told to (so a test
 * can play a client that stopped reading) and never answers pings or closes by itself.
 */
public final class RawWebSocket implements AutoCloseable {
  /** Frames larger than this are refused by the reader (a test bound, not a protocol one). */
  static final long MAX_FRAME = 16L * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;

  RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** One server frame. */
  public record Frame(int opcode, byte[] payload) {
    public static final int TEXT = 1;
    public static final int CLOSE = 8;
    public static final int PING = 9;

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code; 1005 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** Reads the next frame (unmasked, as servers send them). */
  public Frame readFrame() {
    try {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if (length < 0 || length > MAX_FRAME) {
        throw new AssertionError("frame length " + length);
      }
      if ((b1 & 0x80) != 0) {
        throw new AssertionError("a server frame must not be masked");
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(b0 & 0x0F, payload);
    } catch (IOException e) {
      throw new AssertionError("reading a frame failed", e);
    }
  }

  /**
   * Reads frames until the close frame and returns it; fails after {@code maxFrames} frames or
   * when the socket's read timeout passes.
   */
  public Frame awaitClose(int maxFrames) {
    for (int i = 0; i < maxFrames; i++) {
      Frame f = readFrame();
      if (f.opcode() == Frame.CLOSE) {
        return f;
      }
    }
    throw new AssertionError("no close frame within " + maxFrames + " frames");
  }

  public void sendText(String text) {
    sendFrame(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame with any opcode and payload, valid or not (e.g. bad UTF-8). */
  public void sendFrame(int opcode, byte[] payload) {
    try {
      RawHttp.writeFrame(socket.getOutputStream(), opcode, payload);
    } catch (IOException e) {
      throw new AssertionError("sending failed", e);
    }
  }

  /** Changes how long each read may wait before the test fails. */
  public void setReadTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    RawHttp.closeQuietly(socket);
  }
}
