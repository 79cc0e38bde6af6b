package io.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.CloseCode;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.Envelope;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.PropertySchedule;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.StoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core end to end on fakes (PROTOCOL.md sections 3-4), against a reference model: random
 * schedules of connect / subscribe / unsubscribe / publish (two backend publishers interleaved,
 * and clients publishing to topics) / close / kick / token refresh with other roles / server
 * API subscribe / resubscribe with {@code since}. After every step, each client's newly written
 * frames equal exactly what the model predicts:
 * <ul>
 *   <li>a message reaches exactly the live connections its target names (brute force over the
 *       model), and the publish result counts them;
 *   <li>a closed or kicked connection gets nothing more, even when it keeps sending;
 *   <li>per connection, one publisher's messages arrive in publish order (payloads carry
 *       {@code {"p":publisher,"n":sequence}});
 *   <li>{@code subscribe} with {@code since} = the last id a client saw replays exactly the
 *       missed messages in order, once, acked {@code recovered:true} while the history (100 per
 *       topic, as in {@link CoreFixture}) covers them and {@code recovered:false} beyond.
 * </ul>
 */
class DeliveryPropertyTest {
  private static final List<String> USERS = List.of("alice", "bob", "carol");
  private static final List<String> ROLES = List.of("admin", "staff");
  private static final List<String> TOPICS = List.of("room:0", "room:1", "room:2");
  private static final int HISTORY = 100;
  private static final int STEPS = 60;
  private static final int MAX_PEERS = 16;
  private static final String TYPE = "note";
  private static final Pattern PAYLOAD = Pattern.compile("\\{\"p\":(\\d+),\"n\":(\\d+)}");

  static LongStream seeds() {
    return PropertySchedule.seeds(200);
  }

  /** One connection as the model sees it, with the frames it should get and has been checked. */
  private static final class Peer {
    final String name;
    final String user;
    Set<String> roles; // a refresh may change them
    final CoreFixture.Client client;
    final int publisher; // the p of the messages this client publishes
    boolean open = true;
    boolean kicked;
    final Set<String> topics = new LinkedHashSet<>();
    /** Frames the model expects since the last check. */
    final List<String> expected = new ArrayList<>();
    int checked;
    /** The id of the last message received on each topic. */
    final Map<String, String> lastSeen = new HashMap<>();
    /** Ids of messages it got as a replay: ordered by their topic's stream, not live order. */
    final Set<String> replayed = new HashSet<>();

    Peer(String name, String user, Set<String> roles, CoreFixture.Client client, int publisher) {
      this.name = name;
      this.user = user;
      this.roles = roles;
      this.client = client;
      this.publisher = publisher;
    }

    String id() {
      return client.session.id().value();
    }
  }

  /** One topic message the history was given, in append order. */
  private record Logged(String id, String payload) {}

  /** The fixture's history (100 per topic), recording the ids it hands out. */
  private static final class RecordingHistory extends ForwardingHistory {
    final Map<String, List<Logged>> log = new HashMap<>();

    RecordingHistory() {
      super(CoreFixture.history(HISTORY, new ManualClock()));
    }

    @Override
    public StoredMessage append(Envelope message, Function<Envelope, EncodedFrame> encode) {
      StoredMessage stored = real.append(message, encode);
      Envelope positioned = stored.envelope();
      log.computeIfAbsent(positioned.topic().orElseThrow().value(), t -> new ArrayList<>())
          .add(new Logged(positioned.id(), positioned.payload().text()));
      return stored;
    }

    List<Logged> of(String topic) {
      return log.getOrDefault(topic, List.of());
    }
  }

  /** One run: the fixture, the model, and the schedule. */
  private static final class Run {
    final PropertySchedule s;
    final RecordingHistory history = new RecordingHistory();
    final CoreFixture fx = new CoreFixture(b -> b.history(history));
    final List<Peer> peers = new ArrayList<>();
    final int[] sequence = new int[3 + MAX_PEERS * 2];
    int refs;

    Run(long seed) {
      s = new PropertySchedule(seed);
    }

    String ref() {
      return "r" + (++refs);
    }

    List<Peer> live() {
      return peers.stream().filter(p -> p.open).toList();
    }

    List<Peer> closed() {
      return peers.stream().filter(p -> !p.open).toList();
    }

    String payload(int publisher) {
      return "{\"p\":" + publisher + ",\"n\":" + (++sequence[publisher]) + "}";
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyClientGetsExactlyWhatTheModelPredicts(long seed) {
    Run run = new Run(seed);
    try {
      for (int step = 0; step < STEPS; step++) {
        int op = run.s.random.nextInt(100);
        if (op < 14 || run.live().isEmpty()) {
          connect(run);
        } else if (op < 32) {
          subscribe(run);
        } else if (op < 39) {
          unsubscribe(run);
        } else if (op < 62) {
          publish(run);
        } else if (op < 66) {
          burst(run);
        } else if (op < 72) {
          clientPublish(run);
        } else if (op < 79) {
          close(run);
        } else if (op < 83) {
          kick(run);
        } else if (op < 86) {
          lateFrame(run);
        } else if (op < 94) {
          recover(run);
        } else if (op < 97) {
          refresh(run);
        } else {
          adminSubscribe(run);
        }
        check(run);
      }
      checkPublishOrder(run);
    } finally {
      run.fx.close();
    }
  }


  private static Peer connect(Run run) {
    if (run.peers.size() >= MAX_PEERS) {
      return null;
    }
    String user = run.s.pick(USERS);
    Set<String> roles = run.s.subset(ROLES);
    return connect(run, user, roles, "");
  }

  private static Peer connect(Run run, String user, Set<String> roles, String why) {
    String name = "c" + run.peers.size();
    run.s.step(name + " = connect " + user + " roles=" + roles + why);
    Principal principal = principal(user, roles);
    Peer peer = new Peer(name, user, roles, run.fx.connect(principal), 3 + run.peers.size());
    run.peers.add(peer);
    peer.expected.add("welcome " + user);
    return peer;
  }

  private static void subscribe(Run run) {
    Peer peer = run.s.pick(run.live());
    String topic = run.s.pick(TOPICS);
    String ref = run.ref();
    run.s.step(peer.name + " subscribes " + topic + " (ref " + ref + ")");
    peer.client.send(new ClientCommand.Subscribe(ref, topic, "", false));
    peer.topics.add(topic);
    peer.expected.add("ack " + ref);
  }

  private static void unsubscribe(Run run) {
    Peer peer = run.s.pick(run.live());
    String topic = !peer.topics.isEmpty() && run.s.chance(0.8)
        ? run.s.pick(List.copyOf(peer.topics)) : run.s.pick(TOPICS);
    String ref = run.ref();
    run.s.step(peer.name + " unsubscribes " + topic + " (ref " + ref + ")");
    peer.client.send(new ClientCommand.Unsubscribe(ref, topic));
    peer.topics.remove(topic);
    peer.expected.add("ack " + ref);
  }

  /** A backend publish from publisher 1 or 2 to a random target of any kind. */
  private static void publish(Run run) {
    int publisher = 1 + run.s.random.nextInt(2);
    Target target = randomTarget(run);
    String payload = run.payload(publisher);
    run.s.step("P" + publisher + " publishes " + payload + " to " + describe(run, target));
    backendPublish(run, target, payload);
  }

  /** Many topic messages from one backend publisher: enough, sometimes, to outrun history. */
  private static void burst(Run run) {
    int publisher = 1 + run.s.random.nextInt(2);
    String topic = run.s.pick(TOPICS);
    int count = run.s.chance(0.5) ? 1 + run.s.random.nextInt(20)
        : HISTORY - 10 + run.s.random.nextInt(30);
    run.s.step("P" + publisher + " publishes " + count + " messages to topic " + topic
        + ", from n=" + (run.sequence[publisher] + 1));
    for (int i = 0; i < count; i++) {
      backendPublish(run, Target.topic(topic), run.payload(publisher));
    }
  }

  private static void backendPublish(Run run, Target target, String payload) {
    PublishResult result = run.fx.publish(target, TYPE, payload);
    var published = assertInstanceOf(PublishResult.Published.class, result,
        () -> run.s.describe("publish was rejected: " + result));
    String topic = target instanceof Target.Topic t ? t.name().value() : null;
    List<Peer> recipients = recipients(run, target);
    assertEquals(recipients.size(), published.recipients(), () -> run.s.describe(
        "recipient count of the last publish; the model expects " + names(recipients)));
    expectMessage(recipients, published.id(), topic, payload);
  }

  /** A client publishes to a topic (it holds realtime:publish and may use every topic). */
  private static void clientPublish(Run run) {
    Peer peer = run.s.pick(run.live());
    String topic = run.s.pick(TOPICS);
    String ref = run.ref();
    String payload = run.payload(peer.publisher);
    run.s.step(peer.name + " publishes " + payload + " to topic " + topic + " (ref " + ref + ")");
    int before = run.history.of(topic).size();
    peer.client.send(new ClientCommand.Publish(ref, topic, TYPE, new RawJson(payload)));
    List<Logged> log = run.history.of(topic);
    assertEquals(before + 1, log.size(), run.s.failure("a client publish must reach history"));
    String id = log.get(log.size() - 1).id();
    expectMessage(recipients(run, Target.topic(topic)), id, topic, payload);
    peer.expected.add("ack " + ref);
  }

  /** The client's socket goes away (the fake channel itself stays open, to catch late sends). */
  private static void close(Run run) {
    Peer peer = run.s.pick(run.live());
    run.s.step(peer.name + " closes");
    peer.client.session.closed();
    peer.open = false;
    peer.topics.clear();
  }

  private static void kick(Run run) {
    Peer peer = run.s.pick(run.peers);
    run.s.step("kick " + peer.name + (peer.open ? "" : " (already closed)"));
    boolean kicked = run.fx.core.kick().kick(new ConnectionId(peer.id()));
    assertEquals(peer.open, kicked, run.s.failure("kick answers whether " + peer.name
        + " was open"));
    if (peer.open) {
      peer.open = false;
      peer.kicked = true;
      peer.topics.clear();
    }
  }

  /** A closed connection's transport delivers one more frame: it must change nothing. */
  private static void lateFrame(Run run) {
    List<Peer> closed = run.closed();
    if (closed.isEmpty()) {
      return;
    }
    Peer peer = run.s.pick(closed);
    String topic = run.s.pick(TOPICS);
    run.s.step(peer.name + " (closed) sends subscribe " + topic);
    peer.client.send(new ClientCommand.Subscribe(run.ref(), topic, "", false));
  }

  /**
   * A client that saw messages on a topic subscribes again with {@code since} = the last id it
   * saw: after reconnecting if it was closed, or on the same connection. Half of the time the
   * topic is first topped up so that the client missed just about the history's size (99, 100,
   * 101...), where {@code recovered} turns false.
   */
  private static void recover(Run run) {
    List<Peer> candidates = new ArrayList<>();
    List<String> topics = new ArrayList<>();
    boolean allowSubscribed = run.s.chance(0.1);
    for (Peer p : run.peers) {
      for (String topic : new TreeSet<>(p.lastSeen.keySet())) {
        boolean usable = p.open ? allowSubscribed || !p.topics.contains(topic)
            : run.peers.size() < MAX_PEERS;
        if (usable) {
          candidates.add(p);
          topics.add(topic);
        }
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    int pick = run.s.random.nextInt(candidates.size());
    Peer seen = candidates.get(pick);
    String topic = topics.get(pick);
    String since = seen.lastSeen.get(topic);
    if (run.s.chance(0.5)) {
      int missed = run.history.of(topic).size() - indexOf(run.history.of(topic), since) - 1;
      int target = HISTORY + run.s.pick(List.of(-2, -1, 0, 0, 1, 1, 2, 10));
      if (missed < target) {
        int publisher = 1 + run.s.random.nextInt(2);
        run.s.step("P" + publisher + " publishes " + (target - missed) + " messages to topic "
            + topic + ", from n=" + (run.sequence[publisher] + 1) + " (" + seen.name
            + " will have missed " + target + ")");
        for (int i = missed; i < target; i++) {
          backendPublish(run, Target.topic(topic), run.payload(publisher));
        }
      }
    }
    Peer peer = seen.open ? seen
        : connect(run, seen.user, seen.roles, " (" + seen.name + " reconnecting)");
    String ref = run.ref();
    List<Logged> log = run.history.of(topic);
    int at = indexOf(log, since);
    run.s.step(peer.name + " subscribes " + topic + " since the id of " + log.get(at).payload()
        + " (ref " + ref + ", " + (log.size() - at - 1) + " published after it"
        + (peer.topics.contains(topic) ? ", already subscribed" : "") + ")");
    peer.client.send(new ClientCommand.Subscribe(ref, topic, since, false));
    if (peer.topics.contains(topic)) { // nothing missed while subscribed
      peer.expected.add("recovery-ack " + ref + " recovered=true");
      return;
    }
    List<Logged> missed = log.subList(at + 1, log.size());
    boolean recovered = missed.size() <= HISTORY;
    List<Logged> replay = missed.subList(Math.max(0, missed.size() - HISTORY), missed.size());
    peer.expected.add("recovery-ack " + ref + " recovered=" + recovered);
    for (Logged m : replay) {
      peer.expected.add(message(m.id(), topic, m.payload()));
      peer.lastSeen.put(topic, m.id());
      peer.replayed.add(m.id());
    }
    peer.topics.add(topic);
  }

  /**
   * The client sends a fresh token: for itself with other roles (acked; role targets follow the
   * new roles at once), or now and then for another user (refused; nothing changes).
   */
  private static void refresh(Run run) {
    Peer peer = run.s.pick(run.live());
    boolean sameUser = run.s.chance(0.85);
    String user = sameUser ? peer.user
        : run.s.pick(USERS.stream().filter(u -> !u.equals(peer.user)).toList());
    Set<String> roles = run.s.subset(ROLES);
    String ref = run.ref();
    String token = "token-" + ref;
    run.fx.verifier.accept(token, principal(user, roles));
    run.s.step(peer.name + " refreshes with a token for " + user + " roles=" + roles
        + " (ref " + ref + ")");
    peer.client.send(new ClientCommand.Refresh(ref, token));
    if (sameUser) {
      peer.roles = roles;
      peer.expected.add("ack " + ref);
    } else {
      peer.expected.add("error unauthorized " + ref);
    }
  }

  /** The server API subscribes a connection: no frame for it, true while it is open. */
  private static void adminSubscribe(Run run) {
    Peer peer = run.s.pick(run.peers);
    String topic = run.s.pick(TOPICS);
    run.s.step("server API subscribes " + peer.name + " to " + topic);
    boolean done = run.fx.core.subscribeConnection()
        .subscribe(new ConnectionId(peer.id()), new TopicName(topic));
    assertEquals(peer.open, done, run.s.failure("API subscribe answers whether " + peer.name
        + " is open"));
    if (peer.open) {
      peer.topics.add(topic);
    }
  }


  /** Every client may publish and use every topic. */
  private static Principal principal(String user, Set<String> roles) {
    return CoreFixture.user(user, roles.toArray(String[]::new))
        .withPermissions(Set.of(Permissions.PUBLISH));
  }

  private static Target randomTarget(Run run) {
    switch (run.s.random.nextInt(5)) {
      case 0:
        return Target.broadcast();
      case 1:
        return Target.user(run.s.chance(0.9) ? run.s.pick(USERS) : "nobody");
      case 2:
        return Target.role(run.s.chance(0.9) ? run.s.pick(ROLES) : "no-role");
      case 3:
        return Target.connection(run.s.chance(0.9) && !run.peers.isEmpty()
            ? run.s.pick(run.peers).id() : "no-such-connection");
      default:
        return Target.topic(run.s.pick(TOPICS));
    }
  }

  /** PROTOCOL.md section 4 read literally: a filter over every live connection. */
  private static List<Peer> recipients(Run run, Target target) {
    List<Peer> out = new ArrayList<>();
    for (Peer p : run.live()) {
      boolean receives;
      if (target instanceof Target.Broadcast) {
        receives = true;
      } else if (target instanceof Target.User u) {
        receives = p.user.equals(u.id().value());
      } else if (target instanceof Target.Role r) {
        receives = p.roles.contains(r.name());
      } else if (target instanceof Target.Connection c) {
        receives = p.id().equals(c.id().value());
      } else if (target instanceof Target.Topic t) {
        receives = p.topics.contains(t.name().value());
      } else {
        throw new AssertionError(target);
      }
      if (receives) {
        out.add(p);
      }
    }
    return out;
  }

  private static void expectMessage(List<Peer> recipients, String id, String topic,
      String payload) {
    for (Peer p : recipients) {
      p.expected.add(message(id, topic, payload));
      if (topic != null) {
        p.lastSeen.put(topic, id);
      }
    }
  }

  private static String message(String id, String topic, String payload) {
    return "msg " + TYPE + " " + (topic == null ? "-" : topic) + " " + payload + " id=" + id;
  }

  /** How the model writes a frame; anything it does not expect prints in full. */
  private static String frame(ServerFrame f) {
    if (f instanceof ServerFrame.Welcome w) {
      return "welcome " + w.userId().value();
    } else if (f instanceof ServerFrame.Ack a) {
      return "ack " + a.ref();
    } else if (f instanceof ServerFrame.RecoveryAck r) {
      return "recovery-ack " + r.ref() + " recovered=" + r.recovered();
    } else if (f instanceof ServerFrame.Error e) {
      return "error " + e.code() + " " + e.ref();
    } else if (f instanceof ServerFrame.Message m) {
      Envelope e = m.envelope();
      return "msg " + e.type() + " " + e.topic().map(TopicName::value).orElse("-") + " "
          + e.payload().text() + " id=" + e.id();
    }
    return f.toString();
  }


  /** Every client's new frames are exactly what the model expects; closed ones get none. */
  private static void check(Run run) {
    for (Peer p : run.peers) {
      List<EncodedFrame> written = p.client.channel.written();
      List<String> actual = new ArrayList<>();
      for (EncodedFrame f : written.subList(p.checked, written.size())) {
        actual.add(frame(run.fx.codec.frame(f)));
      }
      assertEquals(p.expected, actual, run.s.failure("frames " + p.name + " (" + p.user
          + (p.open ? "" : p.kicked ? ", kicked" : ", closed") + ") got at the last step; "
          + firstDifference(p.expected, actual)));
      p.checked = written.size();
      p.expected.clear();
      if (p.kicked) {
        assertEquals(CloseCode.KICKED, p.client.channel.closedWith(),
            run.s.failure(p.name + " was kicked: its channel must close with 4003"));
      }
    }
    List<String> dropped = run.fx.events.all().stream().filter(e -> e.startsWith("dropped:"))
        .toList();
    assertEquals(List.of(), dropped,
        run.s.failure("nothing may be offered to a closed connection or overflow a reader"));
  }

  /**
   * Per connection, each publisher's sequence numbers only grow among live deliveries. A replay
   * brings back older messages on purpose (in its topic's order, which {@link #check} verifies
   * frame by frame), so replayed messages are left out here.
   */
  private static void checkPublishOrder(Run run) {
    for (Peer p : run.peers) {
      Map<String, Integer> last = new HashMap<>();
      for (ServerFrame f : p.client.framesOf(ServerFrame.Message.class)) {
        Envelope e = ((ServerFrame.Message) f).envelope();
        if (p.replayed.contains(e.id())) {
          continue;
        }
        String payload = e.payload().text();
        Matcher m = PAYLOAD.matcher(payload);
        assertTrue(m.matches(), run.s.failure("unexpected payload " + payload));
        int n = Integer.parseInt(m.group(2));
        Integer before = last.put(m.group(1), n);
        assertTrue(before == null || before < n, run.s.failure(p.name + " got publisher "
            + m.group(1) + "'s n=" + n + " after n=" + before));
      }
    }
  }

  private static String firstDifference(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String e = i < expected.size() ? expected.get(i) : "(nothing)";
      String a = i < actual.size() ? actual.get(i) : "(nothing)";
      if (!e.equals(a)) {
        return "first difference at new frame " + (i + 1) + ": expected " + e + ", got " + a;
      }
    }
    return "no difference";
  }

  private static int indexOf(List<Logged> log, String id) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new AssertionError("not in the history log: " + id);
  }

  private static String describe(Run run, Target target) {
    if (target instanceof Target.Connection c) {
      for (Peer p : run.peers) {
        if (p.id().equals(c.id().value())) {
          return "connection " + p.name;
        }
      }
    }
    return target.toString();
  }

  private static String names(List<Peer> peers) {
    return peers.stream().map(p -> p.name).toList().toString();
  }
}
