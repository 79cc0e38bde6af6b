package io.realtime.adapter.redis;

import io.realtime.domain.Envelope;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Engines ("nodes") on one test server, each with its own Lettuce client; closes them all. */
final class RedisTestNodes implements AutoCloseable {
  final RedisServer server;
  private final List<RedisEngine> engines = new ArrayList<>();

  RedisTestNodes(RedisServer server) {
    this.server = server;
  }

  /** Test defaults: quick probes and heartbeats, short presence TTL. */
  RedisSettings.Builder settings(String nodeId) {
    return settings(server.url(), nodeId);
  }

  RedisSettings.Builder settings(String url, String nodeId) {
    return RedisSettings.builder(url)
        .nodeId(nodeId)
        .probe(Duration.ofMillis(200), Duration.ofSeconds(1))
        .heartbeat(Duration.ofMillis(300), Duration.ofSeconds(1))
        .presence(Duration.ofSeconds(1), Duration.ofMillis(250))
        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  RedisEngine start(String nodeId, RedisListener listener) {
    return start(nodeId, listener, b -> b);
  }

  RedisEngine start(String nodeId, RedisListener listener,
      UnaryOperator<RedisSettings.Builder> tune) {
    return start(tune.apply(settings(nodeId)).build(), listener);
  }

  RedisEngine start(RedisSettings settings, RedisListener listener) {
    RedisEngine e = new RedisEngine(settings, listener, () -> RedisNodes.NodeLoad.NONE);
    engines.add(e);
    Eventually.join(e.start());
    return e;
  }

  static Envelope message(Target target, String payload) {
    return new Envelope("x", "note", new RawJson(payload), Instant.now(), target);
  }

  @Override
  public void close() {
    engines.forEach(RedisEngine::close);
    server.close();
  }
}
