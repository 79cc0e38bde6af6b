package io.realtime.domain;

/** Close codes the server sends, with the reason recorded for them (PROTOCOL.md section 3). */
public enum CloseCode {
  /** Normal close. */
  NORMAL(1000, "normal close", CloseReason.NORMAL),
  /** Graceful drain: reconnect after a short random delay, resume with {@code since}. */
  GOING_AWAY(1001, "server shutting down", CloseReason.SHUTDOWN),
  /** The client stayed silent for two heartbeat intervals. */
  HEARTBEAT_TIMEOUT(1001, "heartbeat timeout", CloseReason.HEARTBEAT_TIMEOUT),
  /** The client broke a policy repeatedly, such as the rate limit. */
  POLICY_VIOLATION(1008, "policy violation", CloseReason.POLICY_VIOLATION),
  /** A frame was larger than the configured maximum. */
  MESSAGE_TOO_BIG(1009, "frame too large", CloseReason.MESSAGE_TOO_BIG),
  /** The client read too slowly and its outbound queue overflowed. */
  SLOW_CONSUMER(1013, "slow consumer", CloseReason.SLOW_CONSUMER),
  /** The token expired and was not refreshed. */
  TOKEN_EXPIRED(4001, "token expired", CloseReason.TOKEN_EXPIRED),
  /** Disconnected by the server API; do not reconnect automatically. */
  KICKED(4003, "disconnected by the server", CloseReason.KICKED),
  /** Messages of a subscribed topic were lost on this node: reconnect at once, resume with since. */
  RESUME_NEEDED(4004, "resume needed", CloseReason.RESUME_NEEDED);

  private final int code;
  private final String text;
  private final CloseReason reason;

  CloseCode(int code, String text, CloseReason reason) {
    this.code = code;
    this.text = text;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  /** The close reason sent on the wire: short human text. */
  public String text() {
    return text;
  }

  public CloseReason reason() {
    return reason;
  }

  /** Whether frames already queued are written before the close frame. */
  public boolean flushesQueue() {
    return this != SLOW_CONSUMER && this != MESSAGE_TOO_BIG;
  }
}
