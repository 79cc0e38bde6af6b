package io.realtime.core;

import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.Transport;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running node: a core serving clients on a transport. What a host service embeds:
 *
 * <pre>{@code
 * try (RealtimeNode node = RealtimeNode.start(settings, verifier, transport)) {
 *   node.publish().publish(new PublishRequest(Target.user("u-1"), "notification", payload));
 * }
 * }</pre>
 *
 * <p>{@link #close()} drains the server within the settings' drain timeout, then closes the
 * core, then the verifier if it holds resources. Thread-safe; closing twice does nothing more.
 */
public final class RealtimeNode implements AutoCloseable {
  private final RealtimeCore core;
  private final RealtimeSettings settings;
  private final Transport.Server server;
  private final TokenVerifier verifier;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RealtimeNode(RealtimeCore core, RealtimeSettings settings, Transport.Server server,
      TokenVerifier verifier) {
    this.core = core;
    this.settings = settings;
    this.server = server;
    this.verifier = verifier;
  }

  /** A node with the embedded defaults; use {@link RealtimeCore#builder} for more options. */
  public static RealtimeNode start(RealtimeSettings settings, TokenVerifier verifier,
      Transport transport) {
    return RealtimeCore.builder(verifier).settings(settings).start(transport);
  }

  static RealtimeNode start(RealtimeCore core, RealtimeSettings settings, Transport transport,
      TokenVerifier verifier) {
    Transport.Server server = transport.server(settings, core);
    try {
      server.start();
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
    return new RealtimeNode(core, settings, server, verifier);
  }

  /** The node's use cases, as the transport drives them. */
  public RealtimeUseCases useCases() {
    return core;
  }

  /** Publishing, for a backend in the same process. */
  public PublishMessageUseCase publish() {
    return core.publish();
  }

  /** The port the server is bound to. */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.drainAndStop(settings.drainTimeout());
    } finally {
      core.close();
      if (verifier instanceof AutoCloseable resource) {
        try {
          resource.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the token verifier", e);
        }
      }
    }
  }
}
