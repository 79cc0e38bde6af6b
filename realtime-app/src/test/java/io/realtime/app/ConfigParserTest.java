package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.app.config.BackplaneKind;
import io.realtime.app.config.ConfigException;
import io.realtime.app.config.ConfigParser;
import io.realtime.app.config.RealtimeConfig;
import io.realtime.app.config.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void defaultsAreTheProtocolsEmbeddedDefaults() {
    RealtimeConfig c = ConfigParser.parse(Map.of(), new String[0]);
    assertEquals(Transport.JETTY, c.transport());
    assertEquals("127.0.0.1", c.settings().host(), "dev mode listens on loopback");
    assertEquals(8080, c.settings().port());
    assertTrue(c.devMode());
    assertEquals(500, c.settings().upgradeRate());
    assertEquals(1000, c.settings().upgradeBurst());
    assertEquals(Duration.ofSeconds(5), c.settings().clockSkew());
    assertEquals(16, c.settings().maxConnectionsPerUser());
    assertEquals(100_000, c.settings().maxConnections());
    assertEquals(50, c.settings().clientRate());
    assertEquals(100, c.settings().clientBurst());
    assertEquals(1000, c.settings().historySize());
    assertEquals(Duration.ofSeconds(300), c.settings().historyAge());
    assertEquals(Duration.ofSeconds(20), c.settings().drainTimeout());
    assertEquals(65536, c.settings().maxFrameBytes());
    assertEquals(1024, c.settings().sendQueue());
    assertEquals(Duration.ofSeconds(30), c.settings().heartbeat());
    assertEquals(Set.of(), c.settings().allowedOrigins());
  }

  @Test
  void devModeListensOnLoopbackUnlessAHostIsGivenAndJwtModeOnEveryInterface() {
    assertEquals("127.0.0.1", ConfigParser.parse(Map.of(), new String[0]).settings().host());
    assertEquals("0.0.0.0", ConfigParser.parse(Map.of("REALTIME_HOST", "0.0.0.0"),
        new String[0]).settings().host());
    assertEquals("0.0.0.0", ConfigParser.parse(Map.of("REALTIME_JWT_SECRET", SECRET),
        new String[0]).settings().host());
    assertEquals("10.0.0.5", ConfigParser.parse(Map.of("REALTIME_JWT_SECRET", SECRET),
        new String[] {"--host=10.0.0.5"}).settings().host());
  }

  @Test
  void upgradeRateAndBurstAreConfigurable() {
    RealtimeConfig c = ConfigParser.parse(Map.of("REALTIME_UPGRADE_RATE", "20"),
        new String[] {"--upgrade-burst=40"});
    assertEquals(20, c.settings().upgradeRate());
    assertEquals(40, c.settings().upgradeBurst());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.parse(Map.of("REALTIME_UPGRADE_RATE", "0"), new String[0]));
    assertTrue(e.getMessage().contains("REALTIME_UPGRADE_RATE (--upgrade-rate)"), e.getMessage());
  }

  @Test
  void flagsMatchVariablesAndWinOverThem() {
    RealtimeConfig c = ConfigParser.parse(
        Map.of("REALTIME_PORT", "9000", "REALTIME_TRANSPORT", "undertow",
            "REALTIME_JWT_SECRET", SECRET),
        new String[] {"--port=9100", "--allowed-origins=https://a.example, https://b.example"});
    assertEquals(9100, c.settings().port());
    assertEquals(Transport.UNDERTOW, c.transport());
    assertFalse(c.devMode());
    assertEquals(Set.of("https://a.example", "https://b.example"),
        c.settings().allowedOrigins());
  }

  @Test
  void shortSecretIsRefusedNamingTheVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.parse(Map.of("REALTIME_JWT_SECRET", "tenbytes!!"), new String[0]));
    assertTrue(e.getMessage().contains("REALTIME_JWT_SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("--jwt-secret"), e.getMessage());
    assertTrue(e.getMessage().contains("got 10"), e.getMessage());
    assertFalse(e.getMessage().contains("tenbytes"), "the secret itself is never printed");
  }

  @Test
  void redisBackplaneTakesItsUrlPrefixAndNodeId() {
    RealtimeConfig c = ConfigParser.parse(Map.of("REALTIME_BACKPLANE", "redis",
        "REALTIME_REDIS_URL", "redis://cache:6380/2", "REALTIME_REDIS_PREFIX", "eu:rt"),
        new String[] {"--node-id=web-1"});
    assertEquals(BackplaneKind.REDIS, c.backplane());
    assertEquals("redis://cache:6380/2", c.redisUrl().toString());
    assertEquals("eu:rt", c.redisPrefix());
    assertEquals("web-1", c.nodeId());
    RealtimeConfig defaults = ConfigParser.parse(Map.of(), new String[0]);
    assertEquals("realtime", defaults.redisPrefix());
    assertFalse(defaults.nodeId().isEmpty(), "a random node id by default");
  }

  @Test
  void aNodeIdThatCannotNameChannelsIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(
        Map.of("REALTIME_NODE_ID", "no spaces", "REALTIME_REDIS_PREFIX", "a b"),
        new String[0]));
    assertTrue(e.getMessage().contains("REALTIME_NODE_ID"), e.getMessage());
    assertTrue(e.getMessage().contains("REALTIME_REDIS_PREFIX"), e.getMessage());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(
        Map.of("REALTIME_PORT", "eighty", "REALTIME_TRANSPORT", "netty"),
        new String[] {"--heartbeat-seconds=0", "--nonsense=1", "stray"}));
    assertEquals(5, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("REALTIME_PORT"));
    assertTrue(e.getMessage().contains("REALTIME_TRANSPORT"));
    assertTrue(e.getMessage().contains("REALTIME_HEARTBEAT_SECONDS"));
    assertTrue(e.getMessage().contains("--nonsense"));
  }

  @Test
  void onlyOneKindOfKeyMayBeConfigured() {
    assertThrows(ConfigException.class, () -> ConfigParser.parse(Map.of(
        "REALTIME_JWT_SECRET", SECRET, "REALTIME_JWT_JWKS_URL", "https://idp.example/jwks"),
        new String[0]));
  }

  @Test
  void missingPublicKeyFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(
        Map.of("REALTIME_JWT_PUBLIC_KEY", "/nonexistent/key.pem"), new String[0]));
    assertTrue(e.getMessage().contains("REALTIME_JWT_PUBLIC_KEY"));
  }

  @Test
  void toStringHidesSecrets() {
    RealtimeConfig c = ConfigParser.parse(
        Map.of("REALTIME_JWT_SECRET", SECRET, "REALTIME_API_KEY", "very-secret-api-key"),
        new String[0]);
    assertFalse(c.toString().contains(SECRET));
    assertFalse(c.toString().contains("very-secret-api-key"));
  }
}
