package io.realtime.bench.load;

import java.util.Locale;

/**
 * The wire protocol the generator speaks to the server under test.
 *
 * <p>{@link #REALTIME} is PROTOCOL.md: {@code GET /ws}, JSON text frames, a {@code welcome}
 * first. The realtime server (both transports) and the plain {@code ws} comparison server
 * speak it. {@link #SOCKETIO} is the minimum of Engine.IO v4 and Socket.IO v5 over a
 * WebSocket-only transport, enough for the Socket.IO comparison server: {@code 0{..}} open,
 * {@code 40{"token":..}} connect with auth, {@code 40{"sid":..}} answer (our welcome),
 * {@code 2}/{@code 3} ping/pong, {@code 42["message",{..}]} events.
 */
public enum Protocol {
  REALTIME,
  SOCKETIO;

  /** The upgrade path and query. */
  public String path() {
    return this == REALTIME ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
  }

  /** The text frame that subscribes to {@code topic}, answered by an ack repeating {@code ref}. */
  public String subscribe(String topic, String ref) {
    String body = "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"ref\":\"" + ref + "\"}";
    return this == REALTIME ? body : "42[\"subscribe\"," + body + "]";
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Protocol of(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "realtime", "ws" -> REALTIME;
      case "socketio", "socket.io" -> SOCKETIO;
      default -> throw new IllegalArgumentException(
          "unknown protocol '" + value + "' (realtime, socketio)");
    };
  }
}
