package io.realtime.tck;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that queues everything the server sends: text frames,
 * the close, failures; pings are counted apart. Every wait is bounded, and a timeout is an
 * {@link AssertionError} saying what was awaited. Thread-safe.
 */
public final class RecordingSocket implements WebSocket.Listener, AutoCloseable {
  /** How long a connect may take. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Semaphore pings = new Semaphore(0);
  private final StringBuilder partial = new StringBuilder(); // JDK calls onText serially
  private volatile WebSocket socket;
  private volatile Close closed;

  private RecordingSocket() {}

  /** What the server sent, in order. */
  public sealed interface Event {}

  /** A text message. */
  public record Text(String text) implements Event {}

  /** The server's close. */
  public record Close(int code, String reason) implements Event {}

  /** The connection failed. */
  public record Failure(Throwable error) implements Event {}

  /** A binary message (the server never sends one). */
  public record Binary(int length) implements Event {}

  /** The outcome of a connect: open, or refused before the upgrade. */
  public sealed interface Attempt {}

  /** The upgrade succeeded. */
  public record Opened(RecordingSocket socket) implements Attempt {}

  /** The server answered the upgrade with a plain HTTP status. */
  public record Refused(int status, String body, HttpHeaders headers)
      implements Attempt {
    public JsonNode json() {
      return Json.parse(body);
    }
  }

  /**
   * Connects to {@code uri}, letting {@code setup} add headers or subprotocols.
   */
  public static Attempt attempt(HttpClient client, URI uri,
      Consumer<WebSocket.Builder> setup) {
    RecordingSocket listener = new RecordingSocket();
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
    setup.accept(builder);
    try {
      listener.socket = builder.buildAsync(uri, listener)
          .get(CONNECT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return new Opened(listener);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return new Refused(h.getResponse().statusCode(), String.valueOf(h.getResponse().body()),
            h.getResponse().headers());
      }
      throw new AssertionError("connect to " + uri.getPath() + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("connect timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Connects and expects the upgrade to succeed. */
  public static RecordingSocket open(HttpClient client, URI uri,
      Consumer<WebSocket.Builder> setup) {
    Attempt a = attempt(client, uri, setup);
    if (a instanceof Refused r) {
      throw new AssertionError("upgrade refused: " + r.status() + " " + r.body());
    }
    return ((Opened) a).socket();
  }

  /** Connects and expects a refusal before the upgrade. */
  public static Refused refused(HttpClient client, URI uri,
      Consumer<WebSocket.Builder> setup) {
    Attempt a = attempt(client, uri, setup);
    if (a instanceof Opened o) {
      o.socket().close();
      throw new AssertionError("upgrade accepted, expected a refusal");
    }
    return (Refused) a;
  }

  /** The subprotocol the server answered with; {@code ""} when none. */
  public String subprotocol() {
    return socket.getSubprotocol();
  }

  public void send(String text) {
    try {
      socket.sendText(text, true).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("send failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Sends a binary message. */
  public void sendBinary(byte[] data) {
    try {
      socket.sendBinary(ByteBuffer.wrap(data), true)
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("send failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next text frame, parsed; fails on a close or after {@code timeout}. */
  public JsonNode nextFrame(Duration timeout) {
    Event e = next(timeout, "a frame");
    if (e instanceof Text t) {
      return Json.parse(t.text());
    }
    throw new AssertionError("expected a frame, got " + e);
  }

  /** The next text frame, which must be of {@code type}. */
  public JsonNode nextFrame(String type, Duration timeout) {
    JsonNode frame = nextFrame(timeout);
    if (!type.equals(frame.path("type").asText())) {
      throw new AssertionError("expected a '" + type + "' frame, got " + frame);
    }
    return frame;
  }

  /** The next text frame matching {@code wanted}, skipping (and returning) others meanwhile. */
  public JsonNode awaitFrame(Predicate<JsonNode> wanted, Duration timeout, List<JsonNode> skipped) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode frame = nextFrame(Duration.ofNanos(Math.max(1, left)));
      if (wanted.test(frame)) {
        return frame;
      }
      skipped.add(frame);
    }
  }

  /** The server's close, skipping frames before it; fails after {@code timeout}. */
  public Close awaitClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = next(Duration.ofNanos(Math.max(1, left)), "the close (skipped " + skipped + ")");
      if (e instanceof Close c) {
        return c;
      }
      if (e instanceof Failure f) {
        throw new AssertionError("connection failed instead of closing", f.error());
      }
      if (skipped.size() < 5) {
        skipped.add(e);
      }
    }
  }

  /**
   * Asserts nothing arrives within {@code quiet}: a bounded wait on the event queue, used only
   * where the contract is that nothing is sent (prefer a later marker frame where possible).
   */
  public void assertNothingWithin(Duration quiet) {
    try {
      Event e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (e != null) {
        throw new AssertionError("expected nothing, got " + e);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", ex);
    }
  }

  /** Waits until {@code n} pings have arrived in all since connecting. */
  public void awaitPings(int n, Duration timeout) {
    try {
      if (!pings.tryAcquire(n, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("expected " + n + " pings within " + timeout);
      }
      pings.release(n); // keep the count: later waits ask for the total
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Whether the server's close has been seen. */
  public boolean isClosed() {
    return closed != null;
  }

  private Event next(Duration timeout, String what) {
    try {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("waited " + timeout + " for " + what + ", got nothing");
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", ex);
    }
  }

  /** Closes from the client side with 1000 (quietly, if already closed). */
  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (ws != null) {
      ws.abort();
    }
  }


  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(new Text(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    events.add(new Binary(data.remaining()));
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    pings.release(); // the JDK answers with a pong by itself
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    Close c = new Close(statusCode, reason);
    closed = c;
    events.add(c);
    return null; // the JDK then answers the close
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add(new Failure(error));
  }
}
