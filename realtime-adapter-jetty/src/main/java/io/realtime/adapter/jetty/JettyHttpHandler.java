package io.realtime.adapter.jetty;

import io.realtime.adapter.web.HttpApi;
import io.realtime.adapter.web.HttpRequest;
import io.realtime.adapter.web.HttpResponse;
import io.realtime.adapter.web.WebAdapter;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every plain HTTP request (anything that is not a WebSocket upgrade of {@code /ws}): reads the
 * body without blocking, bounded by {@code maxRequestBytes}, and hands the request to the web
 * adapter's routes. A blocking handler in Jetty's terms, since the routes may verify a token.
 */
final class JettyHttpHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(JettyHttpHandler.class);

  private final WebAdapter web;
  private final int maxBytes;

  JettyHttpHandler(WebAdapter web, int maxBytes) {
    this.web = web;
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (request.getLength() > maxBytes) {
      JettyExchange.write(response, HttpApi.tooLarge(maxBytes), callback);
      return true;
    }
    // BLOCKING: Jetty must call us on a pool thread, since the routes may verify a token
    Content.Source.asByteArrayAsync(request, maxBytes, Promise.Invocable.from(
        InvocationType.BLOCKING,
        (byte[] body, Throwable failure) -> answer(request, response, callback, body, failure)));
    return true;
  }

  private void answer(Request request, Response response, Callback callback, byte[] body,
      Throwable failure) {
    try {
      if (failure != null) {
        log.debug("http.body_refused path={} error={}", request.getHttpURI().getPath(),
            failure.toString());
        JettyExchange.write(response, HttpApi.tooLarge(maxBytes), callback);
        return;
      }
      HttpResponse answer = web.handle(new HttpRequest(request.getMethod(),
          request.getHttpURI().getPath(), JettyExchange.query(request),
          JettyExchange.headers(request), new String(body, StandardCharsets.UTF_8),
          JettyExchange.remoteAddress(request)));
      JettyExchange.write(response, answer, callback);
    } catch (RuntimeException e) { // never let a failure escape into Jetty unanswered
      log.error("http.failed transport=jetty error={}", e.toString(), e);
      callback.failed(e);
    }
  }
}
