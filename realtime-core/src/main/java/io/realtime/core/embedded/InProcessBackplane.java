package io.realtime.core.embedded;

import io.realtime.domain.Envelope;
import io.realtime.port.out.Backplane;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * The embedded backplane: nodes in one JVM that share a {@link Bus}. A lone node (the default)
 * has nobody to tell, so publishing costs nothing; several nodes on one bus behave like a
 * cluster, which lets tests exercise multi-node routing without infrastructure.
 *
 * <p>Delivery to the other nodes happens on the publishing thread, in publish order.
 */
public final class InProcessBackplane implements Backplane {
  private final Bus bus;
  private volatile Consumer<Envelope> receiver = e -> {};

  /** A single node with a bus of its own. */
  public InProcessBackplane() {
    this(new Bus());
  }

  public InProcessBackplane(Bus bus) {
    this.bus = bus;
  }

  @Override
  public void start(Consumer<Envelope> fromOtherNodes) {
    receiver = fromOtherNodes;
    bus.nodes.add(this);
  }

  @Override
  public void publish(Envelope envelope) {
    for (InProcessBackplane node : bus.nodes) {
      if (node != this) {
        node.receiver.accept(envelope);
      }
    }
  }

  @Override
  public void close() {
    bus.nodes.remove(this);
  }

  /** The medium nodes share. */
  public static final class Bus {
    private final Set<InProcessBackplane> nodes = new CopyOnWriteArraySet<>();
  }
}
