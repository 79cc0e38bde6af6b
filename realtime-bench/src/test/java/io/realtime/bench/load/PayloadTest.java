package io.realtime.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void aDeliveredFrameGivesBackWhatWasSent() {
    String payload = new Payload(64).json(-123456789012L, 7, 42);
    String frame = "{\"type\":\"bench\",\"id\":\"abc\",\"topic\":\"bench:t7\",\"payload\":" + payload
        + ",\"ts\":\"2026-11-24T12:00:00.000Z\"}";

    Payload.Read read = Payload.read(frame);

    assertTrue(read.ok());
    assertEquals(-123456789012L, read.sentNanos());
    assertEquals(7, read.group());
    assertEquals(42, read.seq());
  }

  @Test
  void aSocketIoEventReadsTheSame() {
    String frame = "42[\"message\",{\"type\":\"bench\",\"id\":\"x\",\"payload\":"
        + new Payload(0).json(5, 0, 3) + ",\"ts\":\"t\"}]";

    assertEquals(new Payload.Read(true, 5, 0, 3), Payload.read(frame));
  }

  @Test
  void payloadIsPaddedToTheRequestedSize() {
    assertEquals(1024, new Payload(1024).json(1234567890123456L, 1234, 123456).length());
  }

  @Test
  void aFrameWithoutOurFieldsIsNotOurs() {
    assertFalse(Payload.read("{\"type\":\"notification\",\"payload\":{\"n\":1}}").ok());
  }
}
