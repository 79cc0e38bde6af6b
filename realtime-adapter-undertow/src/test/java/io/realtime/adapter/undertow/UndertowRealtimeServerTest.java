package io.realtime.adapter.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.adapter.web.RealtimeServer;
import io.realtime.adapter.web.WebAdapter;
import io.realtime.tck.LogCapture;
import io.realtime.tck.RawWebSocket;
import io.realtime.tck.RunningServer;
import io.realtime.tck.TransportSuite;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What is particular to Undertow beyond the kit's suites: the close handshake, which Undertow
 * leaves to its user, bounded by {@link UndertowRealtimeServer#CLOSE_TIMEOUT}.
 */
class UndertowRealtimeServerTest extends TransportSuite {
  @Override
  protected RealtimeServer newServer(WebAdapter web) {
    return new UndertowRealtimeServer(web);
  }

  @Test
  void aCloseAnsweredByThePeerEndsTheConnectionAtOnce() throws Exception {
    RunningServer s = start();
    try (RawWebSocket c = rawClient(s, "alice"); LogCapture log = LogCapture.start()) {
      CompletableFuture<Boolean> stopped = s.drainAsync(Duration.ofSeconds(20));
      assertEquals(1001, c.awaitClose(5).closeCode());
      c.sendClose(1001);
      // the drain ends when the socket is closed by the answer, not cut by the close timeout
      // (said by the log, not by a stopwatch: a loaded machine may take its time either way)
      assertTrue(stopped.get(30, TimeUnit.SECONDS), "clean drain");
      assertTrue(c.endsWithin(Duration.ofSeconds(10)));
      assertEquals(0, log.count("ws.close_timeout"), "the answered close was not cut");
    }
  }

  @Test
  void aPeerThatNeverAnswersTheCloseIsCutAfterTheCloseTimeout() throws Exception {
    RunningServer s = start();
    try (RawWebSocket c = rawClient(s, "alice")) {
      long begin = System.nanoTime();
      CompletableFuture<Boolean> stopped = s.drainAsync(Duration.ofSeconds(20));
      assertEquals(1001, c.awaitClose(5).closeCode());
      // no answer: the drain still ends cleanly, once the close timeout has cut the socket
      assertTrue(stopped.get(UndertowRealtimeServer.CLOSE_TIMEOUT.toMillis() + 15_000,
          TimeUnit.MILLISECONDS), "every socket closed within the drain timeout");
      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      assertTrue(took.compareTo(UndertowRealtimeServer.CLOSE_TIMEOUT) >= 0, "took " + took);
    }
  }
}
