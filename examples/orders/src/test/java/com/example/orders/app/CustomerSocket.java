package com.example.orders.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A customer's device as a test sees it: the JDK's WebSocket client, queueing every text frame
 * it receives so that a test can wait for the next one with a bound.
 */
final class CustomerSocket implements WebSocket.Listener, AutoCloseable {
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects to the service's realtime endpoint on {@code port} with {@code token}. */
  static CustomerSocket connect(int port, String token) {
    CustomerSocket listener = new CustomerSocket();
    listener.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    return listener;
  }

  /** The next text frame, waiting up to {@code timeout}; fails the test if none comes. */
  String nextFrame(Duration timeout) throws InterruptedException {
    String frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + timeout);
    }
    return frame;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    socket.abort();
  }
}
