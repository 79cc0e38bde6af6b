package io.realtime.port.out;

import io.realtime.domain.Envelope;
import java.util.function.Consumer;

/**
 * Fan-out between nodes. The publishing node routes to its own connections itself; the
 * backplane carries each envelope to every other node, which routes it to its own.
 *
 * <p>Thread-safe; {@link #publish} never blocks on the network (it queues or hands off).
 */
public interface Backplane extends AutoCloseable {
  /** Starts receiving envelopes published by other nodes; called once. */
  void start(Consumer<Envelope> fromOtherNodes);

  /** Sends an envelope to the other nodes, in publish order per publishing thread. */
  void publish(Envelope envelope);

  @Override
  void close();
}
