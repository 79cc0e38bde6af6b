package io.realtime.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
  @Test
  void defaultsFollowTheProtocol() {
    RedisSettings s = RedisSettings.builder("redis://localhost:6379").build();
    assertEquals("realtime", s.prefix());
    assertEquals(1000, s.historySize());
    assertEquals(Duration.ofSeconds(300), s.historyAge());
    assertTrue(s.commandTimeout().compareTo(Duration.ofSeconds(2)) <= 0);
    assertEquals(Duration.ofSeconds(3), s.heartbeatInterval());
    assertEquals(Duration.ofSeconds(7), s.nodeTtl());
    assertEquals(Duration.ofMinutes(5), s.idempotencyTtl());
    assertTrue(s.presenceTtl().plus(s.presenceRefresh()).compareTo(Duration.ofSeconds(30)) <= 0,
        "a dead node's users leave within 30 s");
    assertTrue(s.nodeId().matches("n-[a-z0-9]{8}"));
  }

  @Test
  void urlsWithPasswordDatabaseAndTlsAreAcceptedAndThePasswordNeverPrinted() {
    RedisSettings s = RedisSettings.builder("rediss://:s3cret@redis.internal:6380/2").build();
    assertFalse(s.toString().contains("s3cret"));
    assertEquals("rediss://***@redis.internal:6380/2", s.redactedUrl());
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.builder("http://localhost").build());
    assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.builder("redis://h").commandTimeout(Duration.ofSeconds(3)).build());
    assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.builder("redis://h").nodeId("a b").build());
    assertThrows(IllegalArgumentException.class,
        () -> RedisSettings.builder("redis://h").prefix("").build());
    assertThrows(IllegalArgumentException.class, () -> RedisSettings.builder("redis://h")
        .history(10, Duration.ofMinutes(5)).historyMetaTtl(Duration.ofMinutes(1)).build());
  }
}
