package io.realtime.port.in;

import io.realtime.domain.Principal;
import io.realtime.port.out.ClientChannel;
import java.util.Map;
import java.util.Objects;

/** A transport opens a connection after its handshake accepted {@code principal}. */
public interface OpenConnectionUseCase {
  /**
   * Registers the connection and queues its {@code welcome} as the first frame. The transport
   * feeds the returned session; it must call {@link ClientSession#closed()} when the socket ends.
   */
  ClientSession open(OpenRequest request);

  /**
   * @param metadata transport facts (remote address, user agent); never tokens
   */
  record OpenRequest(Principal principal, ClientChannel channel, Map<String, String> metadata) {
    public OpenRequest {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(channel, "channel");
      metadata = Map.copyOf(metadata);
    }
  }
}
