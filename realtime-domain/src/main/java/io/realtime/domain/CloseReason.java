package io.realtime.domain;

/** Why a connection ended: the {@code reason} tag of {@code realtime_connections_closed_total}. */
public enum CloseReason {
  /** The server closed normally. */
  NORMAL("normal"),
  /** The client closed, or its socket went away. */
  CLIENT("client"),
  /** The server drained for shutdown. */
  SHUTDOWN("shutdown"),
  /** Two heartbeat intervals passed without a sign of life. */
  HEARTBEAT_TIMEOUT("heartbeat_timeout"),
  /** Policy violation, such as repeated rate limiting. */
  POLICY_VIOLATION("policy_violation"),
  /** A frame over the size limit. */
  MESSAGE_TOO_BIG("message_too_big"),
  /** The outbound queue overflowed. */
  SLOW_CONSUMER("slow_consumer"),
  /** The token expired. */
  TOKEN_EXPIRED("token_expired"),
  /** Kicked through the server API. */
  KICKED("kicked"),
  /** A node of a cluster lost topic messages it could not refill from the shared history. */
  RESUME_NEEDED("resume_needed"),
  /** A transport failure. */
  ERROR("error");

  private final String tag;

  CloseReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
