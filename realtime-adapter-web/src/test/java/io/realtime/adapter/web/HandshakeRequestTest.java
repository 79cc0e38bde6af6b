package io.realtime.adapter.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests a transport hands to its upgrade. */
class HandshakeRequestTest {
  private static Map<String, List<String>> whole() {
    Map<String, List<String>> h = new HashMap<>();
    h.put("upgrade", List.of("WebSocket"));
    h.put("connection", List.of("keep-alive, Upgrade"));
    h.put("sec-websocket-key", List.of("dGhlIHNhbXBsZSBub25jZQ=="));
    h.put("sec-websocket-version", List.of("13"));
    return h;
  }

  private static boolean upgrade(String method, Map<String, List<String>> headers) {
    return HandshakeRequest.isWebSocketUpgrade(method, NamedValues.headers(headers));
  }

  @Test
  void aWholeHandshakeIsAnUpgradeWhateverTheCaseOfItsTokens() {
    assertTrue(upgrade("GET", whole()));
  }

  @Test
  void anythingLessIsAPlainRequest() {
    assertFalse(upgrade("POST", whole()));
    for (String missing : List.of("upgrade", "connection", "sec-websocket-key",
        "sec-websocket-version")) {
      Map<String, List<String>> h = whole();
      h.remove(missing);
      assertFalse(upgrade("GET", h), "without " + missing);
    }
    Map<String, List<String>> draft = whole();
    draft.put("sec-websocket-version", List.of("8"));
    assertFalse(upgrade("GET", draft), "an older draft");
    Map<String, List<String>> h2c = whole();
    h2c.put("upgrade", List.of("h2c"));
    assertFalse(upgrade("GET", h2c));
  }
}
