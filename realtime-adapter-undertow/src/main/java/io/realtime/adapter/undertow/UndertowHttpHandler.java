package io.realtime.adapter.undertow;

import io.realtime.adapter.web.HttpApi;
import io.realtime.adapter.web.HttpRequest;
import io.realtime.adapter.web.HttpResponse;
import io.realtime.adapter.web.WebAdapter;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Every plain HTTP request (anything that is not a WebSocket upgrade of {@code /ws}): reads the
 * body without blocking on the I/O thread, bounded by {@code maxRequestBytes} (413 beyond),
 * then hands the request to the web adapter's routes on a worker thread, since they may
 * verify a token.
 */
final class UndertowHttpHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(UndertowHttpHandler.class);

  private final WebAdapter web;
  private final int maxBytes;

  UndertowHttpHandler(WebAdapter web, int maxBytes) {
    this.web = web;
    this.maxBytes = maxBytes;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Receiver receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize(maxBytes); // checks Content-Length first, then what arrives
    // dispatched as a handler, not a Runnable: Undertow then answers 500 if anything escapes
    receiver.receiveFullString(
        (ex, body) -> ex.dispatch(worker -> answer(worker, body)), this::refused,
        StandardCharsets.UTF_8);
  }

  private void answer(HttpServerExchange exchange, String body) {
    try {
      HttpResponse answer = web.handle(new HttpRequest(exchange.getRequestMethod().toString(),
          UndertowExchange.rawPath(exchange), UndertowExchange.query(exchange),
          UndertowExchange.headers(exchange), body, UndertowExchange.remoteAddress(exchange)));
      UndertowExchange.write(exchange, answer);
    } catch (RuntimeException e) { // the routes never throw; if they do, answer in our terms
      log.error("http.failed transport=undertow error={}", e.toString(), e);
      UndertowExchange.fail(exchange);
    }
  }

  private void refused(HttpServerExchange exchange, IOException failure) {
    if (failure instanceof Receiver.RequestToLargeException) {
      exchange.setPersistent(false); // the rest of the body stays unread: close after answering
      UndertowExchange.write(exchange, HttpApi.tooLarge(maxBytes));
      return;
    }
    log.debug("http.body_failed path={} error={}", exchange.getRequestPath(), failure.toString());
    IoUtils.safeClose(exchange.getConnection()); // the client went away mid-body
  }
}
