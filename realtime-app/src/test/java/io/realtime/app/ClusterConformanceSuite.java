package io.realtime.app;

import io.realtime.adapter.redis.Eventually;
import io.realtime.adapter.redis.RedisClusterBus;
import io.realtime.adapter.redis.RedisServer;
import io.realtime.app.config.ConfigParser;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.app.wiring.CoreModule;
import io.realtime.tck.RawHttp;
import io.realtime.tck.RunningServer;
import io.realtime.tck.ServerSpec;
import io.realtime.tck.TransportConformanceSuite;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole wire contract against a cluster (PROTOCOL.md section 8): every test's server is
 * two kit nodes on one real redis-server, WebSocket clients on the first, API calls to the
 * second. Each node is built from the test's spec (its settings and time) as a single kit node
 * is, plus the Redis bus {@code REALTIME_BACKPLANE=redis} wires; each test has keys and
 * channels of its own (a fresh prefix).
 */
abstract class ClusterConformanceSuite extends TransportConformanceSuite {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected RunningServer start(ServerSpec spec) {
    String prefix = "conformance" + CLUSTERS.incrementAndGet();
    RunningServer s = track(RunningServer.cluster(spec, this::newServer,
        bus(spec, prefix, "a"), bus(spec, prefix, "b")));
    awaitBackplaneUp(s.port());
    awaitBackplaneUp(s.apiPort());
    return s;
  }

  /** The bus the app wires for these settings and {@code REALTIME_BACKPLANE=redis}. */
  private static RedisClusterBus bus(ServerSpec spec, String prefix, String node) {
    RealtimeConfig config = ConfigParser.parse(Map.of(
        "REALTIME_JWT_SECRET", "cluster-conformance-unused-secret-32",
        "REALTIME_BACKPLANE", "redis",
        "REALTIME_REDIS_URL", redis.url(),
        "REALTIME_REDIS_PREFIX", prefix,
        "REALTIME_NODE_ID", node,
        "REALTIME_HISTORY_SIZE", String.valueOf(spec.settings().historySize()),
        "REALTIME_HISTORY_SECONDS", String.valueOf(spec.settings().historyAge().toSeconds())),
        new String[0]);
    return new RedisClusterBus(CoreModule.redisSettings(config));
  }

  private static void awaitBackplaneUp(int port) {
    String[] body = {""};
    Eventually.await(Duration.ofSeconds(20),
        () -> (body[0] = RawHttp.get(port, "/health", Map.of()).body())
            .contains("\"backplane\":\"up\""),
        () -> "the node on port " + port + " never joined the cluster: " + body[0]);
  }
}
