package io.realtime.adapter.undertow;

import io.realtime.tck.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client spoken by hand, for what the JDK client hides: the exact 101 head, when
 * the server closes the TCP connection, and a client that answers (or ignores) a close frame
 * as a test says. Every read is bounded by a socket timeout.
 */
final class WireClient implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int status;
  private final Map<String, String> headers;

  private WireClient(Socket socket, int status, Map<String, String> headers) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.status = status;
    this.headers = headers;
  }

  /** One server frame; {@code opcode} -1 means the server closed the connection. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** Sends an upgrade request with {@code extra} headers and reads the answer's head. */
  static WireClient upgrade(int port, String pathAndQuery, Map<String, String> extra) {
    Map<String, String> all = RawHttp.upgradeHeaders();
    all.putAll(extra);
    StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n");
    all.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("\r\n");
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      DataInputStream in = new DataInputStream(s.getInputStream());
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < 100; i++) {
        String h = line(in);
        if (h.isEmpty()) {
          return new WireClient(s, status, headers);
        }
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            h.substring(colon + 1).strip());
      }
      throw new AssertionError("more than 100 header lines");
    } catch (IOException e) {
      close(s);
      throw new AssertionError("upgrade failed", e);
    }
  }

  int status() {
    return status;
  }

  /** The answer's headers, names in lower case. */
  Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  /** A header of the answer (any case); {@code null} when absent. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The next frame, or opcode -1 when the server has closed the connection. */
  Frame read() {
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return new Frame(-1, new byte[0]);
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if (length < 0 || length > 16 << 20) {
        throw new AssertionError("frame length " + length);
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(b0 & 0x0F, payload);
    } catch (EOFException e) {
      return new Frame(-1, new byte[0]);
    } catch (IOException e) {
      throw new AssertionError("reading a frame failed", e);
    }
  }

  /** Reads until a frame with {@code opcode}, skipping others; at most {@code max} frames. */
  Frame await(int opcode, int max) {
    for (int i = 0; i < max; i++) {
      Frame f = read();
      if (f.opcode() == opcode) {
        return f;
      }
      if (f.opcode() == -1) {
        throw new AssertionError("connection closed while waiting for opcode " + opcode);
      }
    }
    throw new AssertionError("no frame with opcode " + opcode + " within " + max + " frames");
  }

  /**
   * True if the server ends its side of the connection (FIN or reset) within {@code timeout},
   * reading past any frames before that.
   */
  boolean endsWithin(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (int i = 0; i < 10_000; i++) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        if (read().opcode() == -1) {
          return true;
        }
      }
      return false;
    } catch (AssertionError e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        return false;
      }
      if (e.getCause() instanceof IOException) {
        return true; // reset by the server: closed as well
      }
      throw e;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  void send(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    int n = payload.length;
    if (n < 126) {
      frame.write(0x80 | n);
    } else if (n < 65536) {
      frame.write(0x80 | 126);
      frame.write(n >>> 8);
      frame.write(n);
    } else {
      frame.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) n >>> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < n; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    try {
      out.write(frame.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new AssertionError("sending failed", e);
    }
  }

  void sendText(String text) {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendClose(int code) {
    send(CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  @Override
  public void close() {
    close(socket);
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do
    }
  }

  private static String line(DataInputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < 8192; i++) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("closed in a header line: " + line);
      }
      if (c == '\n') {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
      }
      line.append((char) c);
    }
    throw new AssertionError("header line too long");
  }
}
