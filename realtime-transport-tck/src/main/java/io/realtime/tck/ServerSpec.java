package io.realtime.tck;

import io.realtime.adapter.web.WebSettings;
import io.realtime.service.CoreSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How the kit starts a node: web settings (loopback, port 0, an API key), core settings, and
 * the leeway of the kit's token verifier. Tests change one thing with a wither.
 */
public record ServerSpec(WebSettings web, CoreSettings core, Duration tokenSkew, String metrics) {
  /** The API key every spec starts with. */
  public static final String API_KEY = "test-api-key-0123456789";
  /** What {@code /metrics} serves in the kit: the app owns real metrics. */
  public static final String METRICS = "# TYPE realtime_connections_active gauge\n"
      + "realtime_connections_active 0.0\n";

  public ServerSpec {
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(core, "core");
    Objects.requireNonNull(tokenSkew, "tokenSkew");
    Objects.requireNonNull(metrics, "metrics");
  }

  public static ServerSpec defaults() {
    return new ServerSpec(WebSettings.defaults().withHost("127.0.0.1").withPort(0)
        .withApiKey(API_KEY).withDrainTimeout(Duration.ofSeconds(5)),
        CoreSettings.defaults(), Duration.ofSeconds(5), METRICS);
  }

  public ServerSpec web(UnaryOperator<WebSettings> change) {
    return new ServerSpec(change.apply(web), core, tokenSkew, metrics);
  }

  public ServerSpec core(UnaryOperator<CoreSettings> change) {
    return new ServerSpec(web, change.apply(core), tokenSkew, metrics);
  }

  /** The core's heartbeat and the transports' idle timeout derived from it. */
  public ServerSpec withHeartbeat(Duration value) {
    return new ServerSpec(web.withHeartbeat(value), core.withHeartbeat(value), tokenSkew, metrics);
  }

  public ServerSpec withTokenSkew(Duration value) {
    return new ServerSpec(web, core, value, metrics);
  }
}
