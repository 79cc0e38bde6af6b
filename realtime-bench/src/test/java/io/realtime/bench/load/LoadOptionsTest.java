package io.realtime.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
  private static final String[] REQUIRED =
      {"--url=http://127.0.0.1:8080", "--api-key=k", "--secret=0123456789abcdef0123456789abcdef"};

  private static LoadOptions parse(String... more) {
    String[] args = new String[REQUIRED.length + more.length];
    System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
    System.arraycopy(more, 0, args, REQUIRED.length, more.length);
    return LoadOptions.parse(args);
  }

  @Test
  void scenarioPresetsFillWhatFlagsLeaveOut() {
    LoadOptions o = parse("--scenario=users");

    assertEquals(Scenario.USERS, o.scenario());
    assertEquals(1_000, o.connections());
    assertEquals(0, o.rate()); // as fast as accepted
    assertEquals(Duration.ofSeconds(10), o.duration());
    assertTrue(o.maxRun().compareTo(LoadOptions.MAX_RUN) <= 0);
  }

  @Test
  void bindAddressRangesExpandOverTheLastOctet() {
    LoadOptions o = parse("--bind-addresses=127.0.0.1,127.0.0.5-127.0.0.7");

    assertEquals(4, o.bindAddresses().size());
    assertEquals("127.0.0.7", o.bindAddresses().get(3).getHostAddress());
  }

  @Test
  void onlyLoopbackIsAccepted() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {
        "--url=http://10.0.0.1:8080", "--api-key=k", "--secret=s"}));
    assertThrows(IllegalArgumentException.class, () -> parse("--bind-addresses=10.0.0.1"));
  }

  @Test
  void apiCallsGoToTheConnectionsServerUnlessAnotherNodeIsNamed() {
    assertEquals("http://127.0.0.1:8080/api/v1/messages",
        parse().apiUri("/api/v1/messages").toString());

    LoadOptions cluster = parse("--api-url=http://127.0.0.1:9090",
        "--other-pids=nodeB:41,redis:42");

    assertEquals("http://127.0.0.1:9090/api/v1/messages",
        cluster.apiUri("/api/v1/messages").toString());
    assertEquals("http://127.0.0.1:8080/health", cluster.httpUri("/health").toString());
    assertEquals(java.util.List.of("nodeB", "redis"),
        java.util.List.copyOf(cluster.otherPids().keySet()));
    assertEquals(42L, cluster.otherPids().get("redis"));
    assertThrows(IllegalArgumentException.class, () -> parse("--api-url=http://10.0.0.1:9090"));
    assertThrows(IllegalArgumentException.class, () -> parse("--other-pids=redis"));
  }

  @Test
  void everyRunIsBounded() {
    assertThrows(IllegalArgumentException.class, () -> parse("--duration=0"));
    assertThrows(IllegalArgumentException.class, () -> parse("--duration=100000"));
    assertThrows(IllegalArgumentException.class, () -> parse("--connections=1000000"));
    assertThrows(IllegalArgumentException.class, () -> parse("--max-run=100000"));
  }

  @Test
  void aMaxRunTooShortForTheRunItBoundsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("--duration=60", "--warmup=3", "--max-run=10"));

    assertTrue(e.getMessage().contains("at least 83.0s"), e.getMessage());
  }

  @Test
  void unknownFlagsAndMissingRequiredOnesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--nope=1"}));

    assertTrue(e.getMessage().contains("--nope"), e.getMessage());
    assertTrue(e.getMessage().contains("--url is required"), e.getMessage());
  }

  @Test
  void publishingIsBoundByUndeliveredFramesOnlyWhenAskedAndNeverUnderChurn() {
    assertEquals(0, parse().maxUndelivered());
    assertEquals(160_000, parse("--max-undelivered=160000").maxUndelivered());
    assertThrows(IllegalArgumentException.class, () -> parse("--max-undelivered=-1"));
    IllegalArgumentException churn = assertThrows(IllegalArgumentException.class,
        () -> parse("--scenario=churn", "--max-undelivered=1000"));
    assertTrue(churn.getMessage().contains("--max-undelivered"), churn.getMessage());
  }

  @Test
  void undeliveredFramesAreTheAcceptedRecipientsNotYetReached() {
    Ledger ledger = new Ledger(1, false);
    ledger.joined(0);
    ledger.joined(0);
    ledger.accepted(0, ledger.nextSeq(0), 0L); // a long: (int, int, int) is the BitSet copy
    ledger.accepted(0, ledger.nextSeq(0), 0L);
    assertEquals(4, ledger.undelivered());
    ledger.delivered(0, 1);
    assertEquals(3, ledger.undelivered());
  }
}
