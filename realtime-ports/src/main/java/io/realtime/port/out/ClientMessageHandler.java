package io.realtime.port.out;

import io.realtime.domain.Connection;
import io.realtime.domain.RawJson;

/**
 * The application's handler for a client frame type the protocol does not define, such as
 * {@code typing} or {@code cursor}. Called on the connection's reading thread, one frame at
 * a time per connection; must not block (hand slow work to an executor of its own).
 */
public interface ClientMessageHandler {
  /** Handles one frame; {@code frame} is the whole client frame as JSON. */
  HandlerResult handle(Connection sender, String type, RawJson frame);
}
