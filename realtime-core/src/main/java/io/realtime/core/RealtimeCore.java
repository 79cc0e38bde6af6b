package io.realtime.core;

import io.realtime.core.embedded.ExecutorScheduler;
import io.realtime.core.embedded.InMemoryPresenceStore;
import io.realtime.core.embedded.InMemoryTopicHistory;
import io.realtime.core.embedded.InProcessBackplane;
import io.realtime.core.embedded.RandomIdGenerator;
import io.realtime.domain.MessageTypes;
import io.realtime.domain.RoutingTable;
import io.realtime.port.in.AuthenticateUseCase;
import io.realtime.port.in.BackplaneStatus;
import io.realtime.port.in.DrainConnectionsUseCase;
import io.realtime.port.in.KickConnectionUseCase;
import io.realtime.port.in.OpenConnectionUseCase;
import io.realtime.port.in.PublishMessageUseCase;
import io.realtime.port.in.QueryPresenceUseCase;
import io.realtime.port.in.QueryStatsUseCase;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.in.RealtimeUseCases;
import io.realtime.port.in.SubscribeConnectionUseCase;
import io.realtime.port.out.Backplane;
import io.realtime.port.out.ClientMessageHandler;
import io.realtime.port.out.ClusterBus;
import io.realtime.port.out.FrameCodec;
import io.realtime.port.out.IdGenerator;
import io.realtime.port.out.PresenceStore;
import io.realtime.port.out.RealtimeEvents;
import io.realtime.port.out.Scheduler;
import io.realtime.port.out.TokenVerifier;
import io.realtime.port.out.TopicHistory;
import io.realtime.port.out.Transport;
import io.realtime.port.out.UserDirectory;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
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
 * hexagon by hand (the server wires the same pieces with Dagger). Only a token verifier is
 * required, and a codec unless a {@link Transport} supplies one; everything else has an
 * embedded default (in-memory history and presence, in-process backplane, a timer thread).
 *
 * <pre>{@code
 * RealtimeCore core = RealtimeCore.builder(verifier).codec(codec).build();
 * ClientSession s = core.openConnection().open(new OpenRequest(principal, channel, Map.of()));
 * core.publish().publish(new PublishRequest(Target.user("u-1"), "notification", payload));
 * }</pre>
 *
 * <p>With a {@link ClusterBus} ({@link Builder#cluster}) the node is one of a cluster
 * (PROTOCOL.md section 8): topics are positioned and delivered through the bus, the other
 * routes reach the other nodes through it, and connection ids name this node.
 *
 * <p>Thread-safe. {@link #close()} stops its timers and leaves the backplane (and closes the
 * cluster bus).
 */
public final class RealtimeCore implements RealtimeUseCases, AutoCloseable {
  private final ConnectionLifecycle lifecycle;
  private final PublishService publisher;
  private final AdminService admin;
  private final AuthenticationService authentication;
  private final Backplane backplane;
  private final ClusterBus cluster; // null on a single node
  private final List<AutoCloseable> owned;
  private final List<Scheduler.Cancellable> timers = new ArrayList<>();

  private RealtimeCore(Builder b) {
    RoutingTable<ConnectionSession, Subscription> routes = new RoutingTable<>();
    Scheduler scheduler = b.scheduler;
    owned = new ArrayList<>();
    if (scheduler == null) {
      ExecutorScheduler embedded = new ExecutorScheduler();
      owned.add(embedded);
      scheduler = embedded;
    }
    RealtimeSettings settings = b.settings;
    TopicHistory history = b.history != null ? b.history
        : new InMemoryTopicHistory(settings.historySize(), settings.historyAge(), b.clock);
    FrameCodec codec = Objects.requireNonNull(b.codec, "codec: give one, or start on a transport");
    Replies replies = new Replies(codec, b.events);
    authentication = new AuthenticationService(b.verifier, b.userDirectory, b.events);
    cluster = b.cluster;
    publisher = new PublishService(routes, codec, history, b.backplane, b.ids, b.clock,
        b.events, settings.sendQueue(), cluster);
    PresenceStore presence = cluster != null ? cluster.presence() : b.presence;
    Subscriptions subscriptions = new Subscriptions(routes, history, presence, replies,
        b.events, cluster);
    ExpiryTimers expiry = new ExpiryTimers(scheduler, b.clock, settings.clockSkew());
    ClientCommands commands = new ClientCommands(codec, replies, subscriptions, publisher,
        authentication, expiry, b.events, routes, b.handlers, settings.clientRate());
    IdGenerator connectionIds = cluster == null ? b.ids
        : ConnectionIds.onNode(cluster.nodeId(), b.ids);
    lifecycle = new ConnectionLifecycle(routes, replies, commands, subscriptions, expiry,
        connectionIds, b.clock, b.ticker, b.events, settings);
    admin = new AdminService(routes, subscriptions, presence, cluster);
    backplane = b.backplane;
    backplane.start(publisher::deliverLocally);
    if (cluster != null) {
      cluster.start(new ClusterBus.Receiver() {
        @Override
        public void topicMessage(Envelope message) {
          publisher.deliverLocally(message);
        }

        @Override
        public void sharedMessage(Envelope message) {
          publisher.deliverLocally(message);
        }

        @Override
        public void connectionMessage(Envelope message) {
          publisher.deliverLocally(message);
        }

        @Override
        public boolean kick(ConnectionId connection) {
          return admin.kickedByCluster(connection);
        }

        @Override
        public boolean subscribe(ConnectionId connection, TopicName topic) {
          return admin.subscribedByCluster(connection, topic);
        }

        @Override
        public void historyLost(TopicName topic) {
          publisher.resumeNeeded(topic);
        }

        @Override
        public void presenceChanged(TopicName topic, List<UserId> joins, List<UserId> leaves) {
          subscriptions.presenceChanged(topic, joins, leaves);
        }

        @Override
        public ClusterBus.Load load() {
          var s = admin.stats();
          return new ClusterBus.Load(s.connections(), s.users(), s.topics());
        }
      });
    }
    timers.add(scheduler.every(lifecycle::heartbeat, settings.heartbeat()));
    if (history instanceof InMemoryTopicHistory memory) {
      timers.add(scheduler.every(memory::sweep, Duration.ofSeconds(30)));
    }
  }

  public static Builder builder(TokenVerifier verifier) {
    return new Builder(verifier);
  }

  @Override
  public OpenConnectionUseCase openConnection() {
    return lifecycle;
  }

  @Override
  public AuthenticateUseCase authenticate() {
    return authentication;
  }

  @Override
  public PublishMessageUseCase publish() {
    return publisher;
  }

  @Override
  public KickConnectionUseCase kick() {
    return admin;
  }

  @Override
  public SubscribeConnectionUseCase subscribeConnection() {
    return admin;
  }

  @Override
  public QueryPresenceUseCase presence() {
    return admin;
  }

  @Override
  public QueryStatsUseCase stats() {
    return admin;
  }

  @Override
  public DrainConnectionsUseCase drain() {
    return lifecycle;
  }

  @Override
  public BackplaneStatus backplane() {
    if (cluster == null) {
      return BackplaneStatus.LOCAL;
    }
    return cluster.available() ? BackplaneStatus.UP : BackplaneStatus.DOWN;
  }

  @Override
  public void close() {
    timers.forEach(Scheduler.Cancellable::cancel);
    backplane.close();
    if (cluster != null) {
      cluster.close();
    }
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + c, e);
      }
    }
  }

  /** Assembles a core; every setter has a default but the verifier (and the codec). */
  public static final class Builder {
    private final TokenVerifier verifier;
    private FrameCodec codec;
    private RealtimeSettings settings = RealtimeSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Scheduler scheduler;
    private IdGenerator ids = new RandomIdGenerator();
    private Backplane backplane = new InProcessBackplane();
    private TopicHistory history;
    private ClusterBus cluster;
    private PresenceStore presence = new InMemoryPresenceStore();
    private RealtimeEvents events = RealtimeEvents.NONE;
    private UserDirectory userDirectory = UserDirectory.trustToken();
    private final Map<String, ClientMessageHandler> handlers = new HashMap<>();

    private Builder(TokenVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** Client frames to commands and server frames to text; a transport supplies its own. */
    public Builder codec(FrameCodec value) {
      codec = Objects.requireNonNull(value);
      return this;
    }

    /** The node's limits; {@link RealtimeSettings#defaults()} unless given. */
    public Builder settings(RealtimeSettings value) {
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

    /**
     * Makes this node one of a cluster sharing {@code value}: topic history then lives in the
     * bus (the history given here only decides whether {@code since} is offered), presence too
     * ({@link ClusterBus#presence()}; a store given to {@link #presence} is then unused), and
     * the core closes the bus when it closes.
     */
    public Builder cluster(ClusterBus value) {
      cluster = Objects.requireNonNull(value);
      return this;
    }

    /** By default in memory, bounded by the settings' history size and age. */
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
      if (MessageTypes.isReserved(type)) {
        throw new IllegalArgumentException("reserved type: " + type);
      }
      handlers.put(type, Objects.requireNonNull(handler));
      return this;
    }

    public RealtimeCore build() {
      return new RealtimeCore(this);
    }

    /**
     * Builds the core with the transport's codec, and starts the transport's server over it;
     * closing the node stops the server, then the core, then the verifier.
     */
    public RealtimeNode start(Transport transport) {
      codec = transport.codec(settings);
      return RealtimeNode.start(build(), settings, transport, verifier);
    }
  }
}
