package io.realtime.adapter.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A plain HTTP answer for a transport to write as-is.
 *
 * @param contentType the {@code Content-Type}; {@code ""} when there is no body
 * @param headers extra headers ({@code Retry-After}, {@code WWW-Authenticate}, {@code Allow})
 * @param body the body text, written as UTF-8; {@code ""} for none
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers,
    String body) {
  public static final String JSON = "application/json";
  public static final String HTML = "text/html; charset=utf-8";
  /** The Prometheus text exposition format. */
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  public HttpResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599");
    }
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  public static HttpResponse json(int status, String body) {
    return new HttpResponse(status, JSON, Map.of(), body);
  }

  /** {@code {"error":"<code>","message":"<text>"}}. */
  public static HttpResponse error(int status, String code, String message) {
    return json(status, JsonText.error(code, message));
  }

  public static HttpResponse noContent() {
    return new HttpResponse(204, "", Map.of(), "");
  }

  public HttpResponse withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new HttpResponse(status, contentType, more, body);
  }
}
