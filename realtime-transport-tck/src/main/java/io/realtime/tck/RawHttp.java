package io.realtime.tck;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtime.adapter.web.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for tests that must see exactly what the server writes
 * (status line, headers and body of a refused upgrade) or must misbehave (upgrade, then never
 * read). Every read is bounded by a socket timeout.
 */
public final class RawHttp {
  /** Socket read timeout for every raw read. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RawHttp() {}

  /** A response head and body. Header names are lower case. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? "" : v.get(0);
    }

    public JsonNode json() {
      return Json.parse(body);
    }
  }

  /** Sends a GET to {@code path} with {@code headers} and reads the whole answer. */
  public static Response get(int port, String path, Map<String, String> headers) {
    return send(port, head("GET", path, port, headers) + "Connection: close\r\n\r\n");
  }

  /**
   * Writes {@code request} exactly as given (head and body, any framing, valid or not) and
   * reads one answer: its body by {@code Content-Length}, chunks, or until the server closes.
   */
  public static Response send(int port, String request) {
    try (Socket s = socket(port)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      Head head = readHead(in);
      return new Response(head.status, head.headers, readBody(in, head.headers));
    } catch (IOException e) {
      String line = request.lines().findFirst().orElse("");
      throw new AssertionError("raw request failed: " + redactedLine(line), e);
    }
  }

  /** The headers of a WebSocket upgrade request (a fresh key each time). */
  public static Map<String, String> upgradeHeaders() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Upgrade", "websocket");
    h.put("Connection", "Upgrade");
    h.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
    h.put("Sec-WebSocket-Version", "13");
    return h;
  }

  /**
   * Upgrades {@code path} on a raw socket and returns it open, positioned after the 101 head;
   * an {@link AssertionError} if the server answers anything but 101.
   */
  public static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders) {
    return upgrade(port, path, extraHeaders, 0);
  }

  /**
   * {@link #upgrade(int, String, Map)} with a small socket receive buffer ({@code 0} keeps the
   * system's), so a client that stops reading backs the server up sooner.
   */
  public static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders,
      int receiveBufferBytes) {
    Map<String, String> headers = upgradeHeaders();
    headers.putAll(extraHeaders);
    Socket s = null;
    try {
      s = socket(port, receiveBufferBytes);
      s.getOutputStream().write((head("GET", path, port, headers) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      Head head = readHead(s.getInputStream());
      if (head.status != 101) {
        throw new AssertionError("expected 101, got " + head.status + " "
            + readBody(s.getInputStream(), head.headers));
      }
      return new RawWebSocket(s, head.headers);
    } catch (IOException e) {
      closeQuietly(s);
      throw new AssertionError("raw upgrade failed", e);
    } catch (RuntimeException | Error e) {
      closeQuietly(s);
      throw e;
    }
  }

  static Socket socket(int port) throws IOException {
    return socket(port, 0);
  }

  static Socket socket(int port, int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    if (receiveBufferBytes > 0) {
      s.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window is small
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return s;
  }

  /** The request line, {@code Host}, then {@code headers} in their order; not yet ended. */
  private static String head(String method, String path, int port, Map<String, String> headers) {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n");
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    return request.toString();
  }

  private record Head(int status, Map<String, List<String>> headers) {}

  private static Head readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new AssertionError("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return new Head(status, headers);
      }
      int colon = line.indexOf(':');
      headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
    throw new AssertionError("more than 200 header lines");
  }

  private static String readBody(InputStream in, Map<String, List<String>> headers)
      throws IOException {
    List<String> length = headers.get("content-length");
    if (length != null) {
      byte[] body = in.readNBytes(Integer.parseInt(length.get(0)));
      return new String(body, StandardCharsets.UTF_8);
    }
    List<String> te = headers.get("transfer-encoding");
    if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < 10_000; i++) {
        int size = Integer.parseInt(readLine(in).split(";")[0].strip(), 16);
        if (size == 0) {
          readLine(in);
          break;
        }
        out.write(in.readNBytes(size));
        readLine(in);
      }
      return out.toString(StandardCharsets.UTF_8);
    }
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8); // Connection: close
    } catch (SocketTimeoutException e) {
      return "";
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < 16 * 1024; i++) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed in a header line: " + line);
      }
      if (c == '\n') {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
      }
      line.append((char) c);
    }
    throw new AssertionError("header line longer than 16 KiB");
  }

  /** A request line with its query's tokens masked, for failure messages. */
  private static String redactedLine(String requestLine) {
    String[] parts = requestLine.split(" ", 3);
    if (parts.length < 2) {
      return requestLine;
    }
    int q = parts[1].indexOf('?');
    String target = q < 0 ? parts[1]
        : Redaction.target(parts[1].substring(0, q), parts[1].substring(q + 1));
    return parts[0] + " " + target;
  }

  static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing a test socket: nothing to do
      }
    }
  }

  /** Writes a masked client frame (RFC 6455 5.3). */
  static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
    writeFrame(out, true, opcode, payload);
  }

  /** One masked frame; {@code fin} false for every fragment of a message but its last. */
  static void writeFrame(OutputStream out, boolean fin, int opcode, byte[] payload)
      throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
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
    frame.write(mask);
    for (int i = 0; i < n; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }
}
