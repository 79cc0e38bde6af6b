package io.realtime.adapter.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Files served as they are from the classpath: the JavaScript client at {@code /realtime.js}
 * and its types at {@code /realtime.d.ts} in every mode (PROTOCOL.md section 9), and in dev mode
 * the demo app at {@code /} and {@code /demo/*}. Each answer carries an {@code ETag}, and a
 * matching {@code If-None-Match} gets 304.
 *
 * <p>Immutable and thread-safe; every file is read once, at construction.
 */
final class StaticAssets {
  static final String JAVASCRIPT = "text/javascript; charset=utf-8";
  static final String TYPESCRIPT = "application/typescript; charset=utf-8";
  static final String CSS = "text/css; charset=utf-8";

  private record Asset(String contentType, String body, String etag) { }

  private final Map<String, Asset> byPath;

  private StaticAssets(Map<String, Asset> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  static StaticAssets load(boolean devMode) {
    Map<String, Asset> assets = new HashMap<>();
    assets.put("/realtime.js", asset(JAVASCRIPT, "client/realtime.js"));
    assets.put("/realtime.d.ts", asset(TYPESCRIPT, "client/realtime.d.ts"));
    if (devMode) {
      assets.put("/", asset(HttpResponse.HTML, "demo/index.html"));
      assets.put("/demo/app.js", asset(JAVASCRIPT, "demo/app.js"));
      assets.put("/demo/app.css", asset(CSS, "demo/app.css"));
    }
    return new StaticAssets(assets);
  }

  /** The answer when {@code path} (trailing slash removed) names an asset; empty otherwise. */
  Optional<HttpResponse> answer(HttpRequest request, String path) {
    Asset asset = byPath.get(path);
    if (asset == null) {
      return Optional.empty();
    }
    if (!request.method().equals("GET")) {
      return Optional.of(HttpResponse.error(405, "method_not_allowed",
          request.method() + " is not allowed here; use GET").withHeader("Allow", "GET"));
    }
    // no-cache: revalidated on every load, so a page never runs a client older than its server
    Map<String, String> headers = asset.contentType().equals(HttpResponse.HTML)
        || path.startsWith("/demo/")
        ? Map.of("ETag", asset.etag(), "Cache-Control", "no-cache")
        // the client is public code: any site may import it as a module (which needs CORS)
        : Map.of("ETag", asset.etag(), "Cache-Control", "no-cache",
            "Access-Control-Allow-Origin", "*");
    if (request.headers().all("If-None-Match").stream().anyMatch(asset.etag()::equals)) {
      return Optional.of(new HttpResponse(304, "", headers, ""));
    }
    return Optional.of(new HttpResponse(200, asset.contentType(), headers, asset.body()));
  }

  private static Asset asset(String contentType, String name) {
    String body = read(name);
    return new Asset(contentType, body, "\"" + digest(body) + "\"");
  }

  private static String read(String name) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name
            + " (the build copies clients/js/src into the web adapter's classpath)");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String digest(String body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
