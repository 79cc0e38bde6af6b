package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.port.in.BackplaneStatus;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core as one node of a cluster, on a bus the test drives by hand. */
class ClusterCoreTest {
  private final FakeClusterBus bus = new FakeClusterBus("node-a");
  private final CoreFixture fx = new CoreFixture(b -> b.cluster(bus));

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void connectionIdsNameTheNode() {
    var alice = fx.connect(user("alice"));
    assertTrue(alice.session.connection().id().value().startsWith("node-a."),
        alice.session.connection().id().value());
  }

  @Test
  void subscribeIsAckedOnlyOnceTheBusListensAndMessagesMeanwhileComeAfterTheAck() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("feed");
    assertTrue(alice.framesOf(ServerFrame.Ack.class).isEmpty(), "no ack before the listen");
    String id = fx.publishOk(Target.topic("feed"), "post", "{}");
    bus.deliver(bus.appended.get(0));
    assertEquals(List.of(), alice.messageIds(), "held until the ack");
    bus.confirm("feed");
    List<ServerFrame> frames = alice.framesOf(ServerFrame.Ack.class, ServerFrame.Message.class);
    assertInstanceOf(ServerFrame.Ack.class, frames.get(0));
    assertEquals(List.of(id), alice.messageIds());
  }

  @Test
  void aTopicPublishIsDeliveredOnlyWhenTheBusHandsItBack() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("feed");
    bus.confirm("feed");
    String id = fx.publishOk(Target.topic("feed"), "post", "{}");
    assertEquals("1-e", id);
    assertEquals(List.of(), alice.messageIds());
    bus.deliver(bus.appended.get(0));
    assertEquals(List.of(id), alice.messageIds());
  }

  @Test
  void aRefusedListenAnswersUnavailableAndLeavesNoSubscription() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("feed");
    bus.refuse("feed");
    assertEquals(ErrorCode.UNAVAILABLE.wire(), ((ServerFrame.Error) alice.last()).code());
    assertEquals(0, fx.core.stats().stats().topics());
    assertEquals(0, bus.unlistens("feed"), "a failed listen is not taken back");
  }

  @Test
  void eachSuccessfulListenIsTakenBackExactlyOnce() {
    var alice = fx.connect(user("alice"));
    var bob = fx.connect(user("bob"));
    alice.subscribe("feed");
    bob.subscribe("feed");
    bob.session.closed(io.realtime.domain.CloseReason.CLIENT); // gone before the listen
    bus.confirm("feed");
    assertEquals(1, bus.unlistens("feed"));
    alice.send(new ClientCommand.Unsubscribe("u", "feed"));
    assertEquals(2, bus.unlistens("feed"));
    alice.session.closed(io.realtime.domain.CloseReason.CLIENT);
    assertEquals(2, bus.unlistens("feed"));
  }

  @Test
  void sinceReadsTheSharedHistoryAfterTheListen() {
    String first = fx.publishOk(Target.topic("feed"), "post", "{\"n\":1}");
    String second = fx.publishOk(Target.topic("feed"), "post", "{\"n\":2}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", first, false));
    assertTrue(alice.framesOf(ServerFrame.RecoveryAck.class).isEmpty());
    bus.confirm("feed");
    bus.deliver(bus.appended.get(1)); // a live duplicate of the replayed one: dropped
    assertEquals(new ServerFrame.RecoveryAck("s", true),
        alice.framesOf(ServerFrame.RecoveryAck.class).get(0));
    assertEquals(List.of(second), alice.messageIds());
  }

  @Test
  void aBroadcastGoesToTheBusAndHereButNothingAnywhereWhenTheBusIsDown() {
    var alice = fx.connect(user("alice"));
    fx.publishOk(Target.broadcast(), "note", "{}");
    assertEquals(1, bus.shared.size());
    assertEquals(1, alice.messageIds().size());
    bus.available = false;
    PublishResult refused = fx.publish(Target.broadcast(), "note", "{}");
    assertEquals(ErrorCode.UNAVAILABLE, ((PublishResult.Rejected) refused).code());
    assertEquals(1, bus.shared.size());
    assertEquals(1, alice.messageIds().size());
    assertEquals(BackplaneStatus.DOWN, fx.core.backplane());
  }

  @Test
  void aConnectionMessageForAnotherNodeGoesToThatNode() {
    fx.publishOk(Target.connection("node-b.x1"), "job", "{}");
    assertEquals(1, bus.sentToNode.get("node-b").size());
    fx.publishOk(Target.connection("node-a.gone"), "job", "{}");
    assertFalse(bus.sentToNode.containsKey("node-a"), "never to itself");
  }

  @Test
  void messagesFromOtherNodesReachLocalConnections() {
    var alice = fx.connect(user("alice"));
    bus.receiver.sharedMessage(new io.realtime.domain.Envelope("m1", "note",
        new io.realtime.domain.RawJson("{}"), fx.clock.instant(), Target.user("alice")));
    assertEquals(List.of("m1"), alice.messageIds());
  }

  @Test
  void lostHistoryClosesTheTopicsSubscribersWith4004() {
    var alice = fx.connect(user("alice"));
    var bob = fx.connect(user("bob"));
    alice.subscribe("feed");
    bus.confirm("feed");
    bus.receiver.historyLost(new io.realtime.domain.TopicName("feed"));
    assertEquals(io.realtime.domain.CloseCode.RESUME_NEEDED, alice.channel.closedWith());
    assertTrue(bob.channel.isOpen());
  }

  @Test
  void kickAndServerSubscribeOfAConnectionElsewhereGoToItsNode() {
    var id = new io.realtime.domain.ConnectionId("node-b.c1");
    assertTrue(fx.core.kick().kick(id));
    assertTrue(fx.core.subscribeConnection().subscribe(id, new io.realtime.domain.TopicName("t")));
    assertFalse(fx.core.kick().kick(new io.realtime.domain.ConnectionId("node-c.c1")),
        "no such node");
    assertFalse(fx.core.kick().kick(new io.realtime.domain.ConnectionId("node-a.gone")));
    assertEquals(List.of("node-b node-b.c1", "node-b node-b.c1 t", "node-c node-c.c1"),
        bus.kicks);
  }

  @Test
  void anotherNodesKickAndSubscribeReachTheConnectionHere() {
    var alice = fx.connect(user("alice"));
    bus.receiver.subscribe(alice.session.connection().id(), new io.realtime.domain.TopicName("t"));
    bus.confirm("t");
    assertEquals(1, fx.core.stats().stats().topics());
    bus.receiver.kick(alice.session.connection().id());
    assertEquals(io.realtime.domain.CloseCode.KICKED, alice.channel.closedWith());
  }

  @Test
  void closingTheCoreClosesTheBus() {
    fx.close();
    assertTrue(bus.closed);
  }
}
