package io.realtime.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CloseCodeTest {

  @Test
  void codesAreThoseOfTheProtocol() {
    assertEquals(1000, CloseCode.NORMAL.code());
    assertEquals(1001, CloseCode.GOING_AWAY.code());
    assertEquals(1001, CloseCode.HEARTBEAT_TIMEOUT.code());
    assertEquals(1008, CloseCode.POLICY_VIOLATION.code());
    assertEquals(1009, CloseCode.MESSAGE_TOO_BIG.code());
    assertEquals(1013, CloseCode.SLOW_CONSUMER.code());
    assertEquals(4001, CloseCode.TOKEN_EXPIRED.code());
    assertEquals(4003, CloseCode.KICKED.code());
  }

  @Test
  void everyProtocolCodeExistsAndNoOther() {
    Set<Integer> codes = Arrays.stream(CloseCode.values()).map(CloseCode::code)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(Set.of(1000, 1001, 1008, 1009, 1013, 4001, 4003, 4004)), codes);
  }

  @Test
  void reasonTextsAreShortAndPresent() {
    for (CloseCode code : CloseCode.values()) {
      assertFalse(code.text().isBlank(), code.name());
      // a close frame's reason must fit in 123 bytes of UTF-8
      assertTrue(code.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123);
    }
  }

  @Test
  void eachCodeRecordsItsReason() {
    assertEquals(CloseReason.NORMAL, CloseCode.NORMAL.reason());
    assertEquals(CloseReason.SHUTDOWN, CloseCode.GOING_AWAY.reason());
    assertEquals(CloseReason.HEARTBEAT_TIMEOUT, CloseCode.HEARTBEAT_TIMEOUT.reason());
    assertEquals(CloseReason.POLICY_VIOLATION, CloseCode.POLICY_VIOLATION.reason());
    assertEquals(CloseReason.MESSAGE_TOO_BIG, CloseCode.MESSAGE_TOO_BIG.reason());
    assertEquals(CloseReason.SLOW_CONSUMER, CloseCode.SLOW_CONSUMER.reason());
    assertEquals(CloseReason.TOKEN_EXPIRED, CloseCode.TOKEN_EXPIRED.reason());
    assertEquals(CloseReason.KICKED, CloseCode.KICKED.reason());
    assertEquals(CloseReason.RESUME_NEEDED, CloseCode.RESUME_NEEDED.reason());
  }

  @Test
  void slowConsumerAndOversizeFramesDropTheQueueOthersFlushIt() {
    assertFalse(CloseCode.SLOW_CONSUMER.flushesQueue());
    assertFalse(CloseCode.MESSAGE_TOO_BIG.flushesQueue());
    for (CloseCode code : CloseCode.values()) {
      if (code != CloseCode.SLOW_CONSUMER && code != CloseCode.MESSAGE_TOO_BIG) {
        assertTrue(code.flushesQueue(), code.name());
      }
    }
  }

  @Test
  void closeReasonTagsAreSnakeCase() {
    for (CloseReason reason : CloseReason.values()) {
      assertEquals(reason.name().toLowerCase(java.util.Locale.ROOT), reason.tag());
    }
  }
}
