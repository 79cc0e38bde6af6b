package io.realtime.adapter.redis;

import static io.realtime.adapter.redis.Eventually.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.realtime.domain.Envelope;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code redis://:password@host:port/db} and the key prefix, on a real Redis. */
class RedisUrlTest {
  private RedisTestNodes nodes;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aPasswordADatabaseAndAPrefixAreHonoured() throws Exception {
    nodes = new RedisTestNodes(RedisServer.start("s3cret"));
    String url = "redis://:s3cret@127.0.0.1:" + nodes.server.port() + "/3";
    RecordingListener heard = new RecordingListener();
    RedisEngine a = nodes.start(nodes.settings(url, "a").prefix("blue").build(), heard);
    TopicName feed = new TopicName("feed");
    join(a.subscriptions().subscribe(feed));
    Envelope sent = join(a.streams().publish(
        RedisTestNodes.message(Target.topic("feed"), "{}")));
    Eventually.await(Duration.ofSeconds(5), () -> heard.ids(feed).equals(
        java.util.List.of(sent.id())), () -> "received " + heard.ids(feed));
    assertEquals("1", nodes.server.commandIn(3, "XLEN", "blue:stream:feed"));
    assertEquals("0", nodes.server.commandIn(0, "EXISTS", "blue:stream:feed"));
  }
}
