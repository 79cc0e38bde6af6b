package io.realtime.core;

import io.realtime.core.embedded.InMemoryTopicHistory;
import io.realtime.domain.ClientCommand;
import io.realtime.domain.Principal;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.OpenConnectionUseCase.OpenRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.out.TopicHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A core on fakes with a hand-moved clock, and clients that speak commands instead of JSON.
 * Shared by the core's tests (ports test-jar).
 */
public final class CoreFixture implements AutoCloseable {
  public final ManualClock clock = new ManualClock();
  public final ManualScheduler scheduler = new ManualScheduler(clock);
  public final FakeFrameCodec codec = new FakeFrameCodec();
  public final FakeTokenVerifier verifier = new FakeTokenVerifier();
  public final RecordingEvents events = new RecordingEvents();
  public final RealtimeCore core;

  public CoreFixture() {
    this(b -> {});
  }

  /** A fixture whose builder a test may adjust (settings, history, handlers...). */
  public CoreFixture(Consumer<RealtimeCore.Builder> adjust) {
    RealtimeCore.Builder builder = RealtimeCore.builder(verifier).codec(codec)
        .clock(clock)
        .ticker(clock::nanos)
        .scheduler(scheduler)
        .events(events)
        .history(new InMemoryTopicHistory(100, Duration.ofSeconds(300), clock));
    adjust.accept(builder);
    core = builder.build();
  }

  public static TopicHistory history(int size, ManualClock clock) {
    return new InMemoryTopicHistory(size, Duration.ofSeconds(300), clock);
  }

  /** A principal with the given roles, allowed every topic, never expiring. */
  public static Principal user(String id, String... roles) {
    return Principal.of(new UserId(id)).withRoles(Set.of(roles))
        .withTopics(List.of(new TopicPattern("*")));
  }

  public Client connect(Principal principal) {
    return connect(principal, FakeClientChannel.reading());
  }

  public Client connect(Principal principal, FakeClientChannel channel) {
    ClientSession session = core.openConnection().open(new OpenRequest(principal, channel, Map.of()));
    return new Client(this, session, channel);
  }

  public PublishResult publish(Target target, String type, String payloadJson) {
    return core.publish().publish(new PublishRequest(target, type, new RawJson(payloadJson)));
  }

  /** Publishes and returns the message id, failing the test on a rejection. */
  public String publishOk(Target target, String type, String payloadJson) {
    PublishResult result = publish(target, type, payloadJson);
    if (result instanceof PublishResult.Published published) {
      return published.id();
    }
    throw new AssertionError("rejected: " + result);
  }

  @Override
  public void close() {
    core.close();
  }

  /** One connected client as a test sees it. */
  public static final class Client {
    private final CoreFixture fixture;
    public final ClientSession session;
    public final FakeClientChannel channel;

    Client(CoreFixture fixture, ClientSession session, FakeClientChannel channel) {
      this.fixture = fixture;
      this.session = session;
      this.channel = channel;
    }

    public void send(ClientCommand command) {
      session.receiveText(fixture.codec.text(command));
    }

    public void subscribe(String topic) {
      send(new ClientCommand.Subscribe("s-" + topic, topic, "", false));
    }

    /** Every frame written to this client so far, decoded. */
    public List<ServerFrame> frames() {
      List<ServerFrame> out = new ArrayList<>();
      channel.written().forEach(f -> out.add(fixture.codec.frame(f)));
      return out;
    }

    /** The last frame written. */
    public ServerFrame last() {
      List<ServerFrame> all = frames();
      if (all.isEmpty()) {
        throw new AssertionError("no frame written");
      }
      return all.get(all.size() - 1);
    }

    /** Application messages received, as their ids. */
    public List<String> messageIds() {
      List<String> out = new ArrayList<>();
      for (ServerFrame f : frames()) {
        if (f instanceof ServerFrame.Message m) {
          out.add(m.envelope().id());
        }
      }
      return out;
    }

    /** Application messages received, as their payload texts. */
    public List<String> payloads() {
      List<String> out = new ArrayList<>();
      for (ServerFrame f : frames()) {
        if (f instanceof ServerFrame.Message m) {
          out.add(m.envelope().payload().text());
        }
      }
      return out;
    }

    /** Frames of the given kinds only, for asserting a sequence. */
    @SafeVarargs
    public final List<ServerFrame> framesOf(Class<? extends ServerFrame>... kinds) {
      List<ServerFrame> out = new ArrayList<>();
      for (ServerFrame f : frames()) {
        if (Arrays.stream(kinds).anyMatch(k -> k.isInstance(f))) {
          out.add(f);
        }
      }
      return out;
    }
  }
}
