package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import io.realtime.port.in.QueryStatsUseCase.NodeStats;
import io.realtime.port.in.QueryStatsUseCase.Overview;
import io.realtime.port.in.QueryStatsUseCase.Stats;
import io.realtime.port.out.ClusterBus;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence and stats of a node of a cluster, on a bus and a presence store the test drives. */
class ClusterPresenceCoreTest {
  private static final TopicName ROOM = new TopicName("room");

  private final FakeClusterBus bus = new FakeClusterBus("node-a");
  private final CoreFixture fx = new CoreFixture(b -> b.cluster(bus));

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void aWatcherGetsItsAckThenTheStateThenOnlyChangesThatAgreeWithIt() {
    bus.presence.hold = true;
    var watcher = fx.connect(user("watcher"));
    watcher.send(new ClientCommand.Subscribe("w", "room", "", true));
    bus.confirm("room");
    assertEquals(1, bus.presence.pending(), "the join waits for the store");
    bus.presence.release(); // the join is recorded; the state is being read
    assertTrue(watcher.framesOf(ServerFrame.Ack.class).isEmpty(), "no ack before the state");
    bus.receiver.presenceChanged(ROOM, List.of(users("bob")), List.of()); // after the read
    bus.receiver.presenceChanged(ROOM, List.of(), List.of(users("carol"))); // not present
    bus.presence.release();
    bus.receiver.presenceChanged(ROOM, List.of(users("dave")), List.of());

    assertEquals(List.of(new ServerFrame.Ack("w"),
        presence(List.of(users("watcher")), List.of()),
        presence(List.of(users("bob")), List.of()),
        presence(List.of(users("dave")), List.of())),
        watcher.framesOf(ServerFrame.Ack.class, ServerFrame.Presence.class));
  }

  @Test
  void aJoinIsAnnouncedOnceAndALeaveOnlyForTheLastConnection() {
    var watcher = watcher();
    var phone = fx.connect(user("alice"));
    var laptop = fx.connect(user("alice"));
    phone.subscribe("room");
    bus.confirm("room");
    laptop.subscribe("room");
    bus.confirm("room");
    phone.send(new ClientCommand.Unsubscribe("u", "room"));
    laptop.session.closed(io.realtime.domain.CloseReason.CLIENT);

    assertEquals(List.of(presence(List.of(users("watcher")), List.of()),
        presence(List.of(users("alice")), List.of()),
        presence(List.of(), List.of(users("alice")))),
        watcher.framesOf(ServerFrame.Presence.class));
  }

  @Test
  void changesFromTheClusterReachEveryWatcherHere() {
    var first = watcher();
    var second = fx.connect(user("other"));
    second.send(new ClientCommand.Subscribe("w", "room", "", true));
    bus.confirm("room");
    bus.receiver.presenceChanged(ROOM, List.of(), List.of(users("gone")));
    ServerFrame.Presence leave = presence(List.of(), List.of(users("gone")));
    assertEquals(leave, first.last());
    assertEquals(leave, second.last());
  }

  @Test
  void aStoreOutOfReachAnswersUnavailableAndLeavesNoSubscription() {
    bus.presence.down = true;
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("w", "room", "", true));
    bus.confirm("room");
    assertEquals(ErrorCode.UNAVAILABLE.wire(), ((ServerFrame.Error) alice.last()).code());
    assertEquals(0, fx.core.stats().stats().topics());
    assertEquals(1, bus.unlistens("room"), "the successful listen is taken back");
    assertEquals(1, bus.presence.leaves, "what the store may have kept is taken back");
  }

  @Test
  void theOverviewSumsTheNodesWithThisOneLiveAndInIdOrder() {
    bus.heartbeats = List.of(new ClusterBus.NodeLoad("node-c", new ClusterBus.Load(2, 1, 1)),
        new ClusterBus.NodeLoad("node-a", new ClusterBus.Load(0, 0, 0))); // a stale one
    var alice = fx.connect(user("alice"));
    alice.subscribe("room");
    bus.confirm("room");
    fx.connect(user("bob"));

    Overview o = fx.core.stats().overview().toCompletableFuture().join();
    assertEquals(List.of(new NodeStats("node-a", new Stats(2, 2, 1)),
        new NodeStats("node-c", new Stats(2, 1, 1))), o.nodes());
    assertEquals(new Stats(4, 3, 2), o.total());
    bus.available = false;
    assertThrows(CompletionException.class,
        () -> fx.core.stats().overview().toCompletableFuture().join());
  }

  @Test
  void aSingleNodeOverviewIsItsOwnFiguresWithoutNodes() {
    try (CoreFixture single = new CoreFixture()) {
      single.connect(user("alice"));
      Overview o = single.core.stats().overview().toCompletableFuture().join();
      assertEquals(new Overview(new Stats(1, 1, 0), List.of()), o);
    }
  }

  private CoreFixture.Client watcher() {
    var watcher = fx.connect(user("watcher"));
    watcher.send(new ClientCommand.Subscribe("w", "room", "", true));
    bus.confirm("room");
    return watcher;
  }

  private static UserId users(String id) {
    return new UserId(id);
  }

  private static ServerFrame.Presence presence(List<UserId> joins, List<UserId> leaves) {
    return new ServerFrame.Presence(ROOM, joins, leaves);
  }
}
