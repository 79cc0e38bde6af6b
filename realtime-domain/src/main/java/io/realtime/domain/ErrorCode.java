package io.realtime.domain;

/** The {@code code} of {@code error} frames the protocol defines (PROTOCOL.md section 3). */
public enum ErrorCode {
  /** Malformed JSON, a missing field, or a field of the wrong type. */
  BAD_REQUEST("bad_request"),
  /** No handler for this frame type. */
  UNKNOWN_TYPE("unknown_type"),
  /** The token does not allow this topic or action. */
  FORBIDDEN("forbidden"),
  /** The topic name breaks the naming rules. */
  INVALID_TOPIC("invalid_topic"),
  /** {@code since} was asked for but this server keeps no history. */
  HISTORY_UNAVAILABLE("history_unavailable"),
  /** Too many frames: the connection's rate limit was exceeded. */
  RATE_LIMITED("rate_limited"),
  /** A refresh token that does not verify or names another user. */
  UNAUTHORIZED("unauthorized"),
  /** A binary frame: the protocol is JSON text frames only. */
  UNSUPPORTED_FRAME("unsupported_frame"),
  /** The backplane is down: the request reached nobody; retry later (PROTOCOL.md section 8). */
  UNAVAILABLE("unavailable"),
  /** The server failed; the request may be retried. */
  INTERNAL("internal_error");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
