package io.realtime.adapter.redis;

/**
 * Redis could not be reached in time: not connected, the command timed out, or its queue is
 * full. The protocol's answer is {@code unavailable} (HTTP 503 with {@code Retry-After}).
 */
public final class RedisUnavailableException extends RuntimeException {
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
