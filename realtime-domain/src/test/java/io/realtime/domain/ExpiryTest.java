package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryTest {
  private static final Instant EXP = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void deadlineIsExpiryPlusSkew() {
    assertEquals(EXP.plusSeconds(5), Expiry.deadline(EXP, Duration.ofSeconds(5)));
    assertEquals(EXP, Expiry.deadline(EXP, Duration.ZERO));
  }

  @Test
  void neverStaysNeverWhateverTheSkew() {
    assertEquals(Principal.NEVER, Expiry.deadline(Principal.NEVER, Duration.ofSeconds(5)));
    assertEquals(Principal.NEVER, Expiry.deadline(Principal.NEVER, Duration.ofDays(36500)));
  }

  @Test
  void pastFromTheDeadlineOn() {
    Duration skew = Duration.ofSeconds(5);
    assertFalse(Expiry.isPast(EXP, EXP.plusSeconds(4), skew));
    assertTrue(Expiry.isPast(EXP, EXP.plusSeconds(5), skew));
    assertTrue(Expiry.isPast(EXP, EXP.plusSeconds(6), skew));
  }

  @Test
  void neverIsNotPastAtAnyRealisticTime() {
    assertFalse(Expiry.isPast(Principal.NEVER, Instant.parse("9999-12-31T23:59:59Z"),
        Duration.ofSeconds(5)));
  }
}
