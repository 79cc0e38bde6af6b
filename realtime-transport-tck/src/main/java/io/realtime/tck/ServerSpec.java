package io.realtime.tck;

import io.realtime.port.in.RealtimeSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How the kit starts a node: the node's settings (loopback, port 0, an API key), the leeway of
 * the kit's token verifier, what {@code /metrics} serves, and where the node's time comes from
 * (the machine's, or a {@link ManualTime} the test moves). Tests change one thing with a
 * wither.
 */
public record ServerSpec(RealtimeSettings settings, Duration tokenSkew, String metrics,
    KitTime time) {
  /** The API key every spec starts with. */
  public static final String API_KEY = "test-api-key-0123456789";
  /** What {@code /metrics} serves in the kit: the app owns real metrics. */
  public static final String METRICS = "# TYPE realtime_connections_active gauge\n"
      + "realtime_connections_active 0.0\n";

  public ServerSpec {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(tokenSkew, "tokenSkew");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(time, "time");
  }

  public static ServerSpec defaults() {
    return new ServerSpec(RealtimeSettings.defaults().withHost("127.0.0.1").withPort(0)
        .withApiKey(API_KEY).withDrainTimeout(Duration.ofSeconds(5)),
        Duration.ofSeconds(5), METRICS, KitTime.SYSTEM);
  }

  public ServerSpec settings(UnaryOperator<RealtimeSettings> change) {
    return new ServerSpec(change.apply(settings), tokenSkew, metrics, time);
  }

  public ServerSpec withTokenSkew(Duration value) {
    return new ServerSpec(settings, value, metrics, time);
  }

  /** The node's clock, ticker and timers from {@code value}, moved by the test. */
  public ServerSpec withTime(ManualTime value) {
    return new ServerSpec(settings, tokenSkew, metrics, value);
  }
}
