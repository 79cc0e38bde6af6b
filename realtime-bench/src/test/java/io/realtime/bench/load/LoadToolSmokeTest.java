package io.realtime.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.realtime.app.Main;
import io.realtime.app.config.ConfigParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The load tool against a real server started in this JVM, on loopback: a second of messages
 * to a handful of connections, broadcast on one transport and to topics (subscribe, ack) on the
 * other. Checks that the tool works (connects, publishes, sees every delivery once, prints a
 * JSON line that parses), not how fast the server is.
 */
class LoadToolSmokeTest {
  private static final String SECRET = "smoke-test-secret-0123456789abcdef012345";
  private static final String API_KEY = "smoke-test-api-key";

  private Main.Running server;

  private void startServer(String transport) {
    server = Main.start(ConfigParser.parse(Map.of(
        "REALTIME_TRANSPORT", transport,
        "REALTIME_JWT_SECRET", SECRET,
        "REALTIME_API_KEY", API_KEY,
        "REALTIME_HOST", "127.0.0.1",
        "REALTIME_DRAIN_SECONDS", "2"), new String[] {"--port=0"}));
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource({
      "jetty,    broadcast, 5, 5", // every message to all 5 connections
      "undertow, topics,    6, 2", // 3 topics of 2 subscribers: every message to 2
  })
  @Timeout(60)
  void runDeliversEveryAcceptedMessageToEachRecipientOnce(String transport, String scenario,
      int connections, int recipientsPerMessage) throws Exception {
    startServer(transport);
    LoadOptions options = LoadOptions.parse(new String[] {
        "--scenario=" + scenario,
        "--url=http://127.0.0.1:" + server.port(),
        "--api-key=" + API_KEY,
        "--secret=" + SECRET,
        "--connections=" + connections,
        "--subscribers-per-topic=2",
        "--rate=20",
        "--warmup=0.2",
        "--duration=1",
        "--gc=false",
        "--server-pid=" + ProcessHandle.current().pid(),
        "--max-run=45"});

    LoadReport report = LoadMain.run(options, new PrintStream(OutputStream.nullOutputStream()));

    assertEquals(options.connections(), report.connections().ready(), report::table);
    assertEquals(0, report.connections().failed(), report::table);
    assertTrue(report.publishing().accepted() >= 10, report::table);
    assertEquals(0, report.publishing().failed(), report::table);
    assertEquals(report.publishing().accepted() * recipientsPerMessage, report.deliveries().total(),
        report::table);
    assertEquals(0, report.deliveries().missing(), report::table);
    assertEquals(0, report.deliveries().duplicates(), report::table);
    assertEquals(0, report.deliveries().misrouted(), report::table);
    assertTrue(report.latency().count() > 0, report::table);
    assertTrue(report.latency().p50Ms() > 0, report::table);

    Map<String, String> json = lastJsonLine(report);
    assertEquals("realtime-load", json.get("tool"));
    assertEquals(scenario, json.get("run.scenario"));
    assertEquals(String.valueOf(options.connections()), json.get("connections.ready"));
    assertEquals("0", json.get("deliveries.missing"));
    assertEquals(String.valueOf(report.deliveries().total()), json.get("deliveries.total"));
  }

  /** The tool's output as printed; the JSON line flattened to dotted keys. */
  private static Map<String, String> lastJsonLine(LoadReport report) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LoadMain.print(report, false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("{\"tool\":\"realtime-load\""), last);
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = new JsonFactory().createParser(last)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      flatten(p, "", out);
      assertEquals(null, p.nextToken(), "one JSON value on the line");
    }
    return out;
  }

  private static void flatten(JsonParser p, String prefix, Map<String, String> out)
      throws IOException {
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = prefix + p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_OBJECT) {
        flatten(p, name + ".", out);
      } else {
        out.put(name, value == JsonToken.VALUE_NUMBER_FLOAT
            ? String.valueOf(p.getDoubleValue()) : p.getText());
      }
    }
  }
}
