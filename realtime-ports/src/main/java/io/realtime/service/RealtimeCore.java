package io.realtime.service;

import io.realtime.domain.RoutingTable;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.SubscribeConnectionUseCase;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.ClientMessageHandler;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.PresenceStore;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.Scheduler;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.TopicHistory;
import io.realtime.port.out.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One node's core, assembled from its driven ports: the composition root for embedding the
 * hexagon by hand (the server wires the same pieces with Dagger). Only a codec and a token
 * verifier are required; everything else has an embedded default (in-memory history and
 * presence, in-process backplane, a timer thread).
 *
 * <pre>{@code
 * RealtimeCore core = RealtimeCore.builder(codec, verifier).build();
 * ClientSession s = core.openConnection().open(new OpenRequest(principal, channel, Map.of()));
 * core.publish().publish(new PublishRequest(Target.user("u-1"), "notification", payload));
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops its timers and leaves the backplane.
 */
public final class RealtimeCore implements AutoCloseable {
  /** Default queue length assumed for recovery buffers when the transport's is unknown. */
  public static final int DEFAULT_QUEUE = 1024;

  private final ConnectionService connections;
  private final PublishService publisher;
  private final AdminService admin;
  private final AuthenticationService authentication;
  private final Backplane backplane;
  private final List<AutoCloseable> owned;
  private final List<Scheduler.Cancellable> timers = new ArrayList<>();

  private RealtimeCore(Builder b) {
    RoutingTable<ConnectionSession> routes = new RoutingTable<>();
    Scheduler scheduler = b.scheduler;
    owned = new ArrayList<>();
    if (scheduler == null) {
      ExecutorScheduler embedded = new ExecutorScheduler();
      owned.add(embedded);
      scheduler = embedded;
    }
    TopicHistory history = b.history != null ? b.history
        : new InMemoryTopicHistory(1000, Duration.ofSeconds(300), b.clock);
    authentication = new AuthenticationService(b.verifier, b.userDirectory, b.events);
    publisher = new PublishService(
        routes, b.codec, history, b.backplane, b.ids, b.clock, b.events);
    connections = new ConnectionService(routes, b.codec, authentication, publisher, history,
        b.presence, b.handlers, scheduler, b.ids, b.clock, b.ticker, b.events, b.settings,
        b.queueLimit);
    admin = new AdminService(routes, connections, b.presence);
    backplane = b.backplane;
    backplane.start(publisher::deliverLocally);
    timers.add(scheduler.every(connections::heartbeat, b.settings.heartbeat()));
    if (history instanceof InMemoryTopicHistory memory) {
      timers.add(scheduler.every(memory::sweep, Duration.ofSeconds(30)));
    }
  }

  public static Builder builder(FrameCodec codec, TokenVerifier verifier) {
    return new Builder(codec, verifier);
  }

  public OpenConnectionUseCase openConnection() {
    return connections;
  }

  public AuthenticateUseCase authenticate() {
    return authentication;
  }

  public PublishMessageUseCase publish() {
    return publisher;
  }

  public KickConnectionUseCase kick() {
    return admin;
  }

  public SubscribeConnectionUseCase subscribeConnection() {
    return admin;
  }

  public QueryPresenceUseCase presence() {
    return admin;
  }

  public QueryStatsUseCase stats() {
    return admin;
  }

  public DrainConnectionsUseCase drain() {
    return connections;
  }

  @Override
  public void close() {
    timers.forEach(Scheduler.Cancellable::cancel);
    backplane.close();
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + c, e);
      }
    }
  }

  /** Assembles a core; every setter has a default but the codec and the verifier. */
  public static final class Builder {
    private final FrameCodec codec;
    private final TokenVerifier verifier;
    private CoreSettings settings = CoreSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Scheduler scheduler;
    private IdGenerator ids = new RandomIdGenerator();
    private Backplane backplane = new InProcessBackplane();
    private TopicHistory history;
    private PresenceStore presence = new InMemoryPresenceStore();
    private RealtimeEvents events = RealtimeEvents.NONE;
    private UserDirectory userDirectory = UserDirectory.trustToken();
    private final Map<String, ClientMessageHandler> handlers = new HashMap<>();
    private int queueLimit = DEFAULT_QUEUE;

    private Builder(FrameCodec codec, TokenVerifier verifier) {
      this.codec = Objects.requireNonNull(codec, "codec");
      this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    public Builder settings(CoreSettings value) {
      settings = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /** Monotonic nanoseconds for heartbeats and rate limits; {@link System#nanoTime} by default. */
    public Builder ticker(LongSupplier value) {
      ticker = Objects.requireNonNull(value);
      return this;
    }

    /** Timers; by default a daemon thread owned (and stopped) by the core. */
    public Builder scheduler(Scheduler value) {
      scheduler = Objects.requireNonNull(value);
      return this;
    }

    public Builder ids(IdGenerator value) {
      ids = Objects.requireNonNull(value);
      return this;
    }

    public Builder backplane(Backplane value) {
      backplane = Objects.requireNonNull(value);
      return this;
    }

    /** By default 1000 messages and 300 s per topic, in memory. */
    public Builder history(TopicHistory value) {
      history = Objects.requireNonNull(value);
      return this;
    }

    public Builder presence(PresenceStore value) {
      presence = Objects.requireNonNull(value);
      return this;
    }

    public Builder events(RealtimeEvents value) {
      events = Objects.requireNonNull(value);
      return this;
    }

    public Builder userDirectory(UserDirectory value) {
      userDirectory = Objects.requireNonNull(value);
      return this;
    }

    /** Handles client frames of {@code type}; the protocol's own types cannot be taken. */
    public Builder handler(String type, ClientMessageHandler handler) {
      if (io.realtime.domain.MessageTypes.isReserved(type)) {
        throw new IllegalArgumentException("reserved type: " + type);
      }
      handlers.put(type, Objects.requireNonNull(handler));
      return this;
    }

    /** The transport's outbound queue length, which also bounds a recovery's held messages. */
    public Builder queueLimit(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("queue limit must be >= 1");
      }
      queueLimit = value;
      return this;
    }

    public RealtimeCore build() {
      return new RealtimeCore(this);
    }
  }
}
