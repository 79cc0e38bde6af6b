package io.realtime.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ClientConnector;

/**
 * A Jetty {@link ClientConnector} that binds each new socket to the next of several local
 * addresses, round robin, before it connects. Linux picks ephemeral ports per local address,
 * so connections spread over 127.0.0.1..127.0.0.k can go beyond the ~28k ports of one
 * address (every 127.0.0.0/8 address is loopback on Linux).
 *
 * <p>{@link ClientConnector#setBindAddress} binds every socket to one address; this overrides
 * {@link #configure}, the connector's hook for each new channel, and leaves the single bind
 * address unset. Thread-safe.
 */
final class SpreadingClientConnector extends ClientConnector {
  private final List<InetAddress> addresses;
  private final boolean bind;
  private final AtomicInteger next = new AtomicInteger();

  SpreadingClientConnector(List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no local addresses");
    }
    this.addresses = List.copyOf(addresses);
    // the kernel's own choice for a 127.0.0.1 destination is 127.0.0.1: no bind needed
    this.bind = addresses.size() > 1
        || !"127.0.0.1".equals(addresses.get(0).getHostAddress());
  }

  @Override
  protected void configure(SelectableChannel selectable) throws IOException {
    super.configure(selectable);
    if (bind && selectable instanceof NetworkChannel channel) {
      InetAddress local = addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
      channel.bind(new InetSocketAddress(local, 0)); // port 0: an ephemeral port of that address
    }
  }
}
