package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void tokenParametersAreMasked() {
    assertEquals("a=1&token=***&b=2", Redaction.query("a=1&token=eyJhbGc.x.y&b=2"));
    assertEquals("access_token=***", Redaction.query("access_token=abc"));
    assertEquals("TOKEN=***", Redaction.query("TOKEN=abc"));
    assertEquals("tokens=keep&x", Redaction.query("tokens=keep&x"));
    assertEquals("", Redaction.query(null));
    assertEquals("/ws?token=***", Redaction.target("/ws", "token=secret"));
    assertEquals("/ws", Redaction.target("/ws", ""));
  }
}
