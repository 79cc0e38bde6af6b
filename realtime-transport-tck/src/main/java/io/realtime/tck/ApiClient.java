package io.realtime.tck;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The server API over the JDK HTTP client, as a backend would call it. */
public final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final RunningServer server;

  public ApiClient(HttpClient http, RunningServer server) {
    this.http = http;
    this.server = server;
  }

  /** A call with the API key. */
  public Reply call(String method, String path, String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + ServerSpec.API_KEY));
    all.addAll(List.of(headers));
    return raw(method, path, body, all.toArray(String[]::new));
  }

  /** A call with exactly the given headers (no credential unless given). */
  public Reply raw(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path)).timeout(TIMEOUT)
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (!body.isEmpty()) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new AssertionError("API call failed: " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code POST /api/v1/messages} with the API key. */
  public Reply publish(String kind, String value, String type, String payloadJson) {
    String target = value == null ? "{\"kind\":\"" + kind + "\"}"
        : "{\"kind\":\"" + kind + "\",\"value\":\"" + value + "\"}";
    return call("POST", "/api/v1/messages",
        "{\"target\":" + target + ",\"type\":\"" + type + "\",\"payload\":" + payloadJson + "}");
  }

  /** An HTTP answer. */
  public record Reply(int status, String body, HttpResponse<String> response) {
    public JsonNode json() {
      return Json.parse(body);
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
