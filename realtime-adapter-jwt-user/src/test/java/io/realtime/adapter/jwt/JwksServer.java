package io.realtime.adapter.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWKS endpoint on 127.0.0.1, port 0, serving the public halves of whatever keys a test
 * sets; counts every request. Modes: serve, fail with 500, or hang until closed.
 */
final class JwksServer implements AutoCloseable {
  enum Mode { SERVE, FAIL, HANG }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicInteger fetches = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile String body = new JWKSet().toString();
  private volatile Mode mode = Mode.SERVE;

  JwksServer(JWK... keys) {
    serve(keys);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/jwks", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** From now on, publish these keys (public parts only, as a real provider does). */
  JwksServer serve(JWK... keys) {
    body = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    mode = Mode.SERVE;
    return this;
  }

  /** Publishes the keys whole, secrets included: what a misconfigured provider might do. */
  JwksServer serveWhole(JWK... keys) {
    body = new JWKSet(List.of(keys)).toString(false);
    mode = Mode.SERVE;
    return this;
  }

  void mode(Mode newMode) {
    mode = newMode;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
  }

  int fetches() {
    return fetches.get();
  }

  /** Stops listening: later fetches are refused at connect. */
  void stop() {
    closing.countDown();
    server.stop(0);
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    fetches.incrementAndGet();
    try (exchange) {
      switch (mode) {
        case SERVE -> respond(exchange, 200, body);
        case FAIL -> respond(exchange, 500, "{\"error\":\"down\"}");
        case HANG -> {
          try {
            closing.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
