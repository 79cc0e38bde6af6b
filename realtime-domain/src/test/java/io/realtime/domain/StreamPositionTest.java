package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPositionTest {

  @Test
  void idIsOffsetDashEpoch() {
    assertEquals("42-k3x9", new StreamPosition(42, "k3x9").id());
    assertEquals("42-k3x9", new StreamPosition(42, "k3x9").toString());
  }

  @Test
  void parseReadsOffsetAndEpoch() {
    assertEquals(Optional.of(new StreamPosition(42, "k3x9")), StreamPosition.parse("42-k3x9"));
    assertEquals(Optional.of(new StreamPosition(0, "e")), StreamPosition.parse("0-e"));
    assertEquals(Optional.of(new StreamPosition(Long.MAX_VALUE, "e")),
        StreamPosition.parse(Long.MAX_VALUE + "-e"));
  }

  @Test
  void formattedIdParsesBackToTheSamePosition() {
    SplittableRandom random = new SplittableRandom(7);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 1000; i++) {
      long offset = i < 10 ? i : random.nextLong(Long.MAX_VALUE);
      StringBuilder epoch = new StringBuilder();
      for (int n = 1 + random.nextInt(8); n > 0; n--) {
        epoch.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      StreamPosition p = new StreamPosition(offset, epoch.toString());
      assertEquals(Optional.of(p), StreamPosition.parse(p.id()), p::id);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "1-", "-e", "a-b", "1-a-b", "-1-e", "1--e", "x", "42",
      "9223372036854775808-e", "99999999999999999999-e", " 1-e", "1.5-e", "0x1-e", "1 -e"})
  void garbageIsRefused(String id) {
    assertEquals(Optional.empty(), StreamPosition.parse(id), () -> "'" + id + "'");
  }

  @Test
  void negativeOffsetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StreamPosition(-1, "e"));
  }

  @Test
  void epochMustBeNonEmptyWithoutDash() {
    assertThrows(IllegalArgumentException.class, () -> new StreamPosition(1, ""));
    assertThrows(IllegalArgumentException.class, () -> new StreamPosition(1, "a-b"));
    assertThrows(NullPointerException.class, () -> new StreamPosition(1, null));
  }

  @Test
  void startIsOffsetZeroOfItsEpoch() {
    assertEquals(new StreamPosition(0, "e"), StreamPosition.start("e"));
  }

  @Test
  void nextIsOneFurtherInTheSameEpoch() {
    assertEquals(new StreamPosition(8, "e"), new StreamPosition(7, "e").next());
  }

  @Test
  void positionsOfOneEpochCompareByOffset() {
    StreamPosition five = new StreamPosition(5, "e");
    StreamPosition nine = new StreamPosition(9, "e");
    assertTrue(five.compareTo(nine) < 0);
    assertTrue(nine.compareTo(five) > 0);
    assertEquals(0, five.compareTo(new StreamPosition(5, "e")));
    assertTrue(new StreamPosition(Long.MAX_VALUE, "e").compareTo(StreamPosition.start("e")) > 0);
  }

  @Test
  void positionsOfDifferentEpochsDoNotCompare() {
    StreamPosition a = new StreamPosition(5, "one");
    StreamPosition b = new StreamPosition(5, "two");
    assertFalse(a.sameEpoch(b));
    var e = assertThrows(IllegalArgumentException.class, () -> a.compareTo(b));
    assertEquals("positions of different epochs do not compare", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.compareTo(a));
  }

  @Test
  void sameEpochComparesEpochTextOnly() {
    assertTrue(new StreamPosition(1, "e").sameEpoch(new StreamPosition(99, "e")));
  }
}
