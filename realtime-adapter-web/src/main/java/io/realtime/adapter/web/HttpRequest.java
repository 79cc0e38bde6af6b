package io.realtime.adapter.web;

import java.util.Locale;
import java.util.Objects;

/**
 * A plain HTTP request as both transports see it, body already read.
 *
 * @param method the method in upper case, such as {@code POST}
 * @param path the raw request path, still percent-encoded (the router decodes segments)
 * @param query the query parameters (exact names)
 * @param headers the request headers (case-insensitive names)
 * @param body the body as UTF-8 text; {@code ""} when there is none
 * @param remoteAddress the peer's address, for logs; {@code ""} when unknown
 */
public record HttpRequest(
    String method, String path, NamedValues query, NamedValues headers, String body,
    String remoteAddress) {
  public HttpRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }
}
