package io.realtime.adapter.jetty;

import io.realtime.adapter.web.HandshakeRequest;
import io.realtime.adapter.web.HttpResponse;
import io.realtime.adapter.web.NamedValues;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Translation between Jetty's request and response and the web adapter's model. Stateless. */
final class JettyExchange {
  private JettyExchange() {}

  /** Header lookup over Jetty's fields, case-insensitive as they are. */
  static NamedValues headers(Request request) {
    return name -> request.getHeaders().getValuesList(name);
  }

  /** The query parameters; empty when the query cannot be decoded. */
  static NamedValues query(Request request) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request);
    } catch (RuntimeException e) { // a broken escape: treat as no parameters
      return NamedValues.EMPTY;
    }
    return name -> {
      List<String> values = fields.getValuesOrEmpty(name);
      return values == null ? List.of() : values;
    };
  }

  /**
   * Whether the request is one Jetty's upgrade should see: HTTP/1.1 and a whole RFC 6455
   * handshake ({@link HandshakeRequest#isWebSocketUpgrade}). Jetty answers a partial one in
   * its own words (an HTML 400); the web adapter's routes answer it in ours.
   */
  static boolean isUpgrade(Request request) {
    return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
        && HandshakeRequest.isWebSocketUpgrade(request.getMethod(), headers(request));
  }

  static String remoteAddress(Request request) {
    String address = Request.getRemoteAddr(request);
    return address == null ? "" : address;
  }

  /** Writes {@code answer} as the whole response and completes {@code callback}. */
  static void write(Response response, HttpResponse answer, Callback callback) {
    response.setStatus(answer.status());
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      response.getHeaders().put(h.getKey(), h.getValue());
    }
    if (!answer.contentType().isEmpty()) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    }
    if (answer.body().isEmpty()) {
      callback.succeeded();
      return;
    }
    Content.Sink.write(response, true, answer.body(), callback);
  }
}
