package io.realtime.tck;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client end of an upgraded socket, spoken by hand, for what the JDK client hides: the
 * exact 101 head, when the server ends the TCP connection, and a client that stops reading or
 * answers (or ignores) a close frame as a test says. It reads only when told to and never
 * answers pings or closes by itself. Made by {@link RawHttp#upgrade}.
 */
public final class RawWebSocket implements AutoCloseable {
  /** Frames larger than this are refused by the reader (a test bound, not a protocol one). */
  static final long MAX_FRAME = 16L * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final Map<String, List<String>> headers;

  RawWebSocket(Socket socket, Map<String, List<String>> headers) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.headers = Map.copyOf(headers);
  }

  /** One server frame. */
  public record Frame(int opcode, byte[] payload) {
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code; 1005 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** The headers of the server's 101 answer; names in lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** A header of the 101 answer (any case); {@code ""} when absent, as in {@link RawHttp}. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** Reads the next frame (unmasked, as servers send them); fails if the server ended. */
  public Frame readFrame() {
    try {
      return read();
    } catch (EOFException e) {
      throw new AssertionError("the server ended the connection", e);
    } catch (IOException e) {
      throw new AssertionError("reading a frame failed", e);
    }
  }

  /**
   * Reads frames until the close frame and returns it; fails after {@code maxFrames} frames or
   * when the socket's read timeout passes.
   */
  public Frame awaitClose(int maxFrames) {
    return awaitFrame(Frame.CLOSE, maxFrames);
  }

  /**
   * Reads until a frame with {@code opcode} and returns it, skipping others (such as pings);
   * fails after {@code maxFrames} frames or when the socket's read timeout passes.
   */
  public Frame awaitFrame(int opcode, int maxFrames) {
    for (int i = 0; i < maxFrames; i++) {
      Frame f = readFrame();
      if (f.opcode() == opcode) {
        return f;
      }
    }
    throw new AssertionError("no frame with opcode " + opcode + " within " + maxFrames
        + " frames");
  }

  /**
   * True if the server ends its side of the connection (FIN or reset) within {@code timeout},
   * reading past any frames before that. Leaves the read timeout changed.
   */
  public boolean endsWithin(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (int i = 0; i < 100_000; i++) {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        read();
      }
      return false;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server: ended as well
    }
  }

  public void sendText(String text) {
    sendFrame(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends every text frame in one write, so the server reads them as one burst. */
  public void sendTexts(List<String> texts) {
    try {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (String text : texts) {
        RawHttp.writeFrame(burst, Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
      }
      socket.getOutputStream().write(burst.toByteArray());
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new AssertionError("sending failed", e);
    }
  }

  /** Sends a close frame with {@code code}, starting or answering the close handshake. */
  public void sendClose(int code) {
    sendFrame(Frame.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /** Sends one masked frame with any opcode and payload, valid or not (e.g. bad UTF-8). */
  public void sendFrame(int opcode, byte[] payload) {
    try {
      RawHttp.writeFrame(socket.getOutputStream(), opcode, payload);
    } catch (IOException e) {
      throw new AssertionError("sending failed", e);
    }
  }

  /**
   * Sends one message as fragments (RFC 6455 section 5.4): the first with {@code opcode}, the
   * others as continuations, FIN on the last only, each its own write.
   */
  public void sendFragments(int opcode, List<byte[]> fragments) {
    try {
      for (int i = 0; i < fragments.size(); i++) {
        RawHttp.writeFrame(socket.getOutputStream(), i == fragments.size() - 1,
            i == 0 ? opcode : Frame.CONTINUATION, fragments.get(i));
      }
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

  /** One frame; an {@link EOFException} if the server has ended the connection. */
  private Frame read() throws IOException {
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
  }
}
