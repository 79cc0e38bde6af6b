package io.realtime.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final int PUBLISHES = 1_000_000;

  @Test
  void lowestUnansweredIsTheFirstSequenceNotAnswered() {
    Ledger ledger = new Ledger(1, true);
    int first = ledger.nextSeq(0);
    int second = ledger.nextSeq(0);
    assertEquals(first, ledger.lowestUnanswered(0));
    ledger.accepted(0, first, 0L);
    assertEquals(second, ledger.lowestUnanswered(0));
    ledger.failed(0, second);
    assertEquals(ledger.peekSeq(0), ledger.lowestUnanswered(0));
  }

  /**
   * A leave reads the lowest unanswered number while the publisher numbers the next message:
   * it must never pass a number that was handed out and not answered yet, or the leaving
   * socket stops waiting for a message that then counts as missing (churn).
   */
  @Test
  void lowestUnansweredNeverPassesANumberStillInFlight() throws Exception {
    Ledger ledger = new Ledger(1, true);
    AtomicIntegerArray answered = new AtomicIntegerArray(PUBLISHES);
    CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < PUBLISHES; i++) {
        int seq = ledger.nextSeq(0);
        answered.set(seq, 1); // before the ledger hears it: a reader that passed it sees this
        ledger.accepted(0, seq, 0L);
      }
    });
    AtomicLong passed = new AtomicLong();
    while (!publisher.isDone()) {
      int lowest = ledger.lowestUnanswered(0);
      if (lowest > 0 && lowest <= PUBLISHES && answered.get(lowest - 1) == 0) {
        passed.incrementAndGet();
      }
    }
    publisher.get(1, TimeUnit.MINUTES);
    assertEquals(0, passed.get(), "reads that passed a number still in flight");
    assertEquals(PUBLISHES, ledger.lowestUnanswered(0));
  }
}
