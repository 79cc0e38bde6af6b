package io.realtime.adapter.undertow;

import io.realtime.adapter.web.HandshakeRequest;
import io.realtime.adapter.web.HttpResponse;
import io.realtime.adapter.web.NamedValues;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Translation between Undertow's exchange and the web adapter's model. Stateless. */
final class UndertowExchange {
  private UndertowExchange() {}

  /** Header lookup over Undertow's header map, case-insensitive as it is. */
  static NamedValues headers(HttpServerExchange exchange) {
    return name -> {
      HeaderValues values = exchange.getRequestHeaders().get(name);
      return values == null ? List.of() : List.copyOf(values);
    };
  }

  /** The query parameters, already decoded by Undertow. */
  static NamedValues query(HttpServerExchange exchange) {
    return name -> {
      Deque<String> values = exchange.getQueryParameters().get(name);
      return values == null ? List.of() : List.copyOf(values);
    };
  }

  static String remoteAddress(HttpServerExchange exchange) {
    InetSocketAddress address = exchange.getSourceAddress();
    return address == null || address.getAddress() == null ? ""
        : address.getAddress().getHostAddress();
  }

  /** The path as sent, still percent-encoded, without the query (or scheme and host). */
  static String rawPath(HttpServerExchange exchange) {
    String uri = exchange.getRequestURI();
    if (exchange.isHostIncludedInRequestURI()) { // absolute-form request target
      int authority = uri.indexOf("://");
      int slash = uri.indexOf('/', authority < 0 ? 0 : authority + 3);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    return uri.isEmpty() ? "/" : uri;
  }

  /**
   * Whether the request is a WebSocket upgrade that {@code handshake} can perform: HTTP/1.1,
   * a whole RFC 6455 handshake ({@link HandshakeRequest#isWebSocketUpgrade}), and a key and
   * version Undertow accepts.
   */
  static boolean isUpgrade(HttpServerExchange exchange, Handshake handshake) {
    return exchange.isHttp11()
        && HandshakeRequest.isWebSocketUpgrade(exchange.getRequestMethod().toString(),
            headers(exchange))
        && handshake.matches(new AsyncWebSocketHttpServerExchange(exchange, Set.of()));
  }

  /** Writes {@code answer} as the whole response and ends the exchange. */
  static void write(HttpServerExchange exchange, HttpResponse answer) {
    exchange.setStatusCode(answer.status());
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      exchange.getResponseHeaders().put(HttpString.tryFromString(h.getKey()), h.getValue());
    }
    if (!answer.contentType().isEmpty()) {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, answer.contentType());
    }
    if (answer.body().isEmpty()) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseSender().send(answer.body(), StandardCharsets.UTF_8);
  }

  /** Answers 500 as JSON if nothing was written yet, else just ends the exchange. */
  static void fail(HttpServerExchange exchange) {
    if (exchange.isResponseStarted()) {
      exchange.endExchange();
    } else {
      write(exchange, HttpResponse.error(500, "internal_error",
          "the server failed on this request"));
    }
  }
}
