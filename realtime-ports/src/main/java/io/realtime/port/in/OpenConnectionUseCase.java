package io.realtime.port.in;

import io.realtime.domain.Principal;
import io.realtime.port.out.ClientChannel;
import java.util.Map;
import java.util.Objects;

/** A transport opens a connection after its handshake accepted {@code principal}. */
public interface OpenConnectionUseCase {
  /**
   * Queues the connection's {@code welcome} as its first frame, then registers it for routing.
   * The channel should not write to the socket before this returns (buffer until then, as the
   * web adapter's queue does): a client that reads its {@code welcome} may then rely on being
   * routable. The transport feeds the returned session and must call
   * {@link ClientSession#closed} when the socket ends.
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
