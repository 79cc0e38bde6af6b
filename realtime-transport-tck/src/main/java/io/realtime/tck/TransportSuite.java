package io.realtime.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every transport suite of the kit shares: the transport under test, servers started on
 * loopback and stopped after each test, and real clients (the JDK WebSocket and HTTP clients;
 * raw sockets where a test must misbehave). Every wait is bounded; nothing sleeps.
 */
public abstract class TransportSuite {
  /** The bound on every wait for something that should happen. */
  protected static final Duration WAIT = Duration.ofSeconds(5);

  private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
  protected final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The transport under test, serving {@code web}; not started yet. */
  protected abstract RealtimeServer newServer(WebAdapter web);

  @AfterEach
  void stopEverything() {
    List<AutoCloseable> all = new ArrayList<>(started);
    Collections.reverse(all);
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the next test gets a fresh server on a fresh port anyway
      }
    }
    started.clear();
  }


  protected RunningServer start() {
    return start(ServerSpec.defaults());
  }

  protected RunningServer start(ServerSpec spec) {
    RunningServer server = RunningServer.start(spec, this::newServer);
    started.add(server);
    return server;
  }

  protected <T extends AutoCloseable> T track(T closeable) {
    started.add(closeable);
    return closeable;
  }

  protected ApiClient api(RunningServer server) {
    return new ApiClient(http, server);
  }

  /** A connected client whose welcome has been read. */
  protected record Client(RecordingSocket socket, JsonNode welcome) {
    public String id() {
      return welcome.path("connectionId").asText();
    }

    public void send(String frame) {
      socket.send(frame);
    }

    public JsonNode next() {
      return socket.nextFrame(WAIT);
    }

    public JsonNode next(String type) {
      return socket.nextFrame(type, WAIT);
    }
  }

  /** Connects with {@code Authorization: Bearer token} and reads the welcome. */
  protected Client connect(RunningServer server, String token) {
    return connect(server, "", b -> b.header("Authorization", "Bearer " + token));
  }

  protected Client connect(RunningServer server, String query, Consumer<WebSocket.Builder> setup) {
    RecordingSocket socket = track(RecordingSocket.open(http, server.ws(query), setup));
    JsonNode welcome = socket.nextFrame("welcome", WAIT);
    return new Client(socket, welcome);
  }

  /** A hand-spoken client of {@code user}, token in the query, whose welcome has been read. */
  protected static RawWebSocket rawClient(RunningServer server, String user) {
    RawWebSocket c = RawHttp.upgrade(server.port(),
        "/ws?token=" + server.tokens().user(user).sign(), Map.of());
    try {
      assertEquals("welcome", Json.parse(c.readFrame().text()).path("type").asText());
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  protected RecordingSocket.Refused refused(RunningServer server, String query,
      Consumer<WebSocket.Builder> setup) {
    return RecordingSocket.refused(http, server.ws(query), setup);
  }

  protected static void assertRefusal(RecordingSocket.Refused r, int status, String error) {
    assertEquals(status, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals(error, body.path("error").asText(), r.body());
    assertFalse(body.path("message").asText().isBlank(), "a human message: " + r.body());
  }

  /** Publishes a broadcast marker and checks it is the next frame of each client. */
  protected void assertNextIsMarker(ApiClient api, int n, Client... clients) {
    ApiClient.Reply reply = api.publish("broadcast", null, "marker", String.valueOf(n));
    assertEquals(202, reply.status(), reply.body());
    for (Client c : clients) {
      JsonNode frame = c.next();
      assertEquals("marker", frame.path("type").asText(), "client " + c.id() + " got " + frame);
      assertEquals(n, frame.path("payload").asInt());
    }
  }

  /**
   * Waits until the node counts {@code connections} connections (a close may trail what the
   * client saw), then checks them, the users, and that no topic is left.
   */
  protected static void assertStats(ApiClient api, int connections, int users) {
    // the counts are read one after the other, not as one snapshot: a closing connection
    // leaves the connection count before its user's index entry goes, so wait for all three
    await(() -> {
      JsonNode now = api.call("GET", "/api/v1/stats", "").json();
      return now.path("connections").asInt() == connections
          && now.path("users").asInt() == users && now.path("topics").asInt() == 0;
    }, "stats settle to " + connections + " connections of " + users + " users");
    JsonNode stats = api.call("GET", "/api/v1/stats", "").json();
    assertEquals(connections, stats.path("connections").asInt(), stats.toString());
    assertEquals(users, stats.path("users").asInt(), stats.toString());
    assertEquals(0, stats.path("topics").asInt(), stats.toString());
  }

  protected static void await(BooleanSupplier condition, String what) {
    await(condition, () -> what);
  }

  /** Polls a condition every 20 ms for up to ten seconds. */
  protected static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
