package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.CloseCode;
import io.realtime.domain.Permissions;
import io.realtime.domain.Principal;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.HandlerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionServiceTest {
  private CoreFixture fx = new CoreFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  private static ServerFrame.Error error(ServerFrame frame) {
    return assertInstanceOf(ServerFrame.Error.class, frame);
  }

  @Test
  void welcomeIsTheFirstFrame() {
    var alice = fx.connect(user("alice", "admin"));
    var welcome = assertInstanceOf(ServerFrame.Welcome.class, alice.frames().get(0));
    assertEquals(alice.session.id(), welcome.connectionId());
    assertEquals(new UserId("alice"), welcome.userId());
    assertEquals(Set.of("admin"), welcome.roles());
    assertEquals(30, welcome.heartbeatSeconds());
    assertTrue(fx.events.has("opened:" + alice.session.id()));
  }

  @Test
  void pingIsAnsweredWithPongCarryingRef() {
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Ping("7"));
    assertEquals(new ServerFrame.Pong("7"), alice.last());
  }

  @Test
  void malformedFrameGetsBadRequestAndConnectionStaysOpen() {
    var alice = fx.connect(user("alice"));
    alice.session.receiveText("{not json");
    assertEquals("bad_request", error(alice.last()).code());
    assertTrue(alice.channel.isOpen());
    alice.send(new ClientCommand.Ping("after"));
    assertEquals(new ServerFrame.Pong("after"), alice.last());
  }

  @Test
  void aThrowingCodecStillAnswersAndKeepsTheConnection() {
    var alice = fx.connect(user("alice"));
    alice.session.receiveText(null); // the fake codec cannot read this: it throws
    assertEquals("internal_error", error(alice.last()).code());
    assertTrue(alice.channel.isOpen());
  }

  @Test
  void binaryFrameGetsUnsupportedFrame() {
    var alice = fx.connect(user("alice"));
    alice.session.receiveBinary();
    assertEquals("unsupported_frame", error(alice.last()).code());
    assertTrue(alice.channel.isOpen());
  }

  @Test
  void subscribeAcksAndDeliversTopicMessages() {
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("1", "order:1", "", false));
    assertEquals(new ServerFrame.Ack("1"), alice.last());
    String id = fx.publishOk(Target.topic("order:1"), "order.updated", "{\"n\":1}");
    var message = assertInstanceOf(ServerFrame.Message.class, alice.last());
    assertEquals(id, message.envelope().id());
    assertEquals("order:1", message.envelope().topic().orElseThrow().value());
  }

  @Test
  void subscribeOutsideTokenTopicsIsForbidden() {
    Principal limited = Principal.of(new UserId("bob"))
        .withTopics(List.of(new TopicPattern("user:{sub}"), new TopicPattern("order:*")));
    var bob = fx.connect(limited);
    bob.send(new ClientCommand.Subscribe("1", "user:alice", "", false));
    assertEquals("forbidden", error(bob.last()).code());
    assertEquals("1", error(bob.last()).ref());
    bob.send(new ClientCommand.Subscribe("2", "user:bob", "", false));
    assertEquals(new ServerFrame.Ack("2"), bob.last());
    bob.send(new ClientCommand.Subscribe("3", "order:42", "", false));
    assertEquals(new ServerFrame.Ack("3"), bob.last());
  }

  @Test
  void invalidTopicNameIsRefused() {
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("1", "bad topic!", "", false));
    assertEquals("invalid_topic", error(alice.last()).code());
    alice.send(new ClientCommand.Subscribe("2", "order:*", "", false));
    assertEquals("invalid_topic", error(alice.last()).code());
  }

  @Test
  void unsubscribeStopsDelivery() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("news");
    alice.send(new ClientCommand.Unsubscribe("u", "news"));
    assertEquals(new ServerFrame.Ack("u"), alice.last());
    fx.publishOk(Target.topic("news"), "headline", "{}");
    assertTrue(alice.messageIds().isEmpty());
    assertEquals(0, fx.core.stats().stats().topics());
  }

  @Test
  void clientPublishNeedsPermissionAndAllowedTopic() {
    var reader = fx.connect(user("reader"));
    reader.subscribe("chat:1");
    reader.send(new ClientCommand.Publish("p", "chat:1", "said", new RawJson("{\"t\":\"hi\"}")));
    assertEquals("forbidden", error(reader.last()).code());

    Principal writer = Principal.of(new UserId("writer"))
        .withPermissions(Set.of(Permissions.PUBLISH))
        .withTopics(List.of(new TopicPattern("chat:*")));
    var w = fx.connect(writer);
    w.send(new ClientCommand.Publish("q", "chat:1", "said", new RawJson("{\"t\":\"hi\"}")));
    assertEquals(new ServerFrame.Ack("q"), w.last());
    assertEquals(List.of("{\"t\":\"hi\"}"), reader.payloads());
    w.send(new ClientCommand.Publish("r", "secret:1", "said", new RawJson("{}")));
    assertEquals("forbidden", error(w.last()).code());
  }

  @Test
  void clientPublishOfReservedEventIsBadRequest() {
    Principal writer = user("w").withPermissions(Set.of(Permissions.PUBLISH));
    var w = fx.connect(writer);
    w.send(new ClientCommand.Publish("r", "chat:1", "welcome", new RawJson("{}")));
    assertEquals("bad_request", error(w.last()).code());
  }

  @Test
  void unknownTypeWithoutHandlerIsUnknownType() {
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Custom("9", "typing", new RawJson("{\"type\":\"typing\"}")));
    var e = error(alice.last());
    assertEquals("unknown_type", e.code());
    assertEquals("9", e.ref());
  }

  @Test
  void applicationHandlerAnswersAckOrItsOwnError() {
    fx.close();
    fx = new CoreFixture(b -> b.handler("typing", (sender, type, frame) ->
        frame.text().contains("bad") ? HandlerResult.reject("too_fast", "slow down")
            : HandlerResult.ack()));
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Custom("1", "typing", new RawJson("{}")));
    assertEquals(new ServerFrame.Ack("1"), alice.last());
    alice.send(new ClientCommand.Custom("2", "typing", new RawJson("{\"bad\":1}")));
    assertEquals(new ServerFrame.Error("2", "too_fast", "slow down"), alice.last());
  }

  @Test
  void failingHandlerAnswersInternalErrorAndKeepsConnection() {
    fx.close();
    fx = new CoreFixture(b -> b.handler("boom", (s, t, f) -> {
      throw new IllegalStateException("bug");
    }));
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Custom("1", "boom", new RawJson("{}")));
    assertEquals("internal_error", error(alice.last()).code());
    assertTrue(alice.channel.isOpen());
  }

  @Test
  void refreshWithSameSubjectMovesExpiry() {
    fx.close(); // a long heartbeat, so only the token can end this silent connection
    fx = new CoreFixture(b -> b.settings(RealtimeSettings.defaults().withHeartbeat(Duration.ofHours(1))));
    Instant exp = fx.clock.instant().plusSeconds(60);
    fx.verifier.accept("new", user("alice").withExpiry(exp.plusSeconds(600)));
    var alice = fx.connect(user("alice").withExpiry(exp));
    alice.send(new ClientCommand.Refresh("r", "new"));
    assertEquals(new ServerFrame.Ack("r"), alice.last());
    fx.scheduler.advance(Duration.ofSeconds(120));
    assertTrue(alice.channel.isOpen(), "old deadline passed, but the refresh moved it");
    fx.scheduler.advance(Duration.ofSeconds(600));
    assertEquals(CloseCode.TOKEN_EXPIRED, alice.channel.closedWith());
  }

  @Test
  void refreshForAnotherUserOrWithBadTokenIsUnauthorized() {
    fx.verifier.accept("mallory", user("mallory"));
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Refresh("1", "mallory"));
    assertEquals("unauthorized", error(alice.last()).code());
    alice.send(new ClientCommand.Refresh("2", "garbage"));
    assertEquals("unauthorized", error(alice.last()).code());
    assertEquals(new UserId("alice"), alice.session.connection().user());
    assertTrue(fx.events.has("auth:bad_signature"));
  }

  @Test
  void expiredTokenClosesWith4001AtExpiryPlusSkew() {
    Instant exp = fx.clock.instant().plusSeconds(10);
    var alice = fx.connect(user("alice").withExpiry(exp));
    fx.scheduler.advance(Duration.ofSeconds(14)); // skew is 5 s
    assertTrue(alice.channel.isOpen());
    fx.scheduler.advance(Duration.ofSeconds(1));
    assertEquals(CloseCode.TOKEN_EXPIRED, alice.channel.closedWith());
    assertTrue(fx.events.has("closed:token_expired"));
    assertEquals(0, fx.core.stats().stats().connections());
  }

  @Test
  void silentConnectionIsClosedAfterTwoHeartbeats() {
    var quiet = fx.connect(user("quiet"));
    var chatty = fx.connect(user("chatty"));
    fx.scheduler.advance(Duration.ofSeconds(30));
    assertEquals(1, quiet.channel.pings());
    chatty.session.activity();
    fx.scheduler.advance(Duration.ofSeconds(30));
    chatty.send(new ClientCommand.Ping("p"));
    fx.scheduler.advance(Duration.ofSeconds(30));
    assertEquals(CloseCode.HEARTBEAT_TIMEOUT, quiet.channel.closedWith());
    assertTrue(chatty.channel.isOpen());
  }

  @Test
  void rateLimitAnswersRateLimitedThenClosesWith1008() {
    fx.close();
    fx = new CoreFixture(b -> b.settings(RealtimeSettings.defaults().withClientRate(1, 3)));
    var spammer = fx.connect(user("spammer"));
    for (int i = 0; i < 3; i++) {
      spammer.send(new ClientCommand.Ping("ok" + i));
    }
    spammer.send(new ClientCommand.Ping("x"));
    var e = error(spammer.last());
    assertEquals("rate_limited", e.code());
    assertEquals("x", e.ref());
    assertTrue(spammer.channel.isOpen());
    for (int i = 0; i < ConnectionSession.VIOLATIONS_BURST; i++) {
      spammer.send(new ClientCommand.Ping("y" + i));
    }
    assertEquals(CloseCode.POLICY_VIOLATION, spammer.channel.closedWith());
  }

  @Test
  void rateLimitRefillsOverTime() {
    fx.close();
    fx = new CoreFixture(b -> b.settings(RealtimeSettings.defaults().withClientRate(2, 1)));
    var c = fx.connect(user("c"));
    c.send(new ClientCommand.Ping("1"));
    c.send(new ClientCommand.Ping("2"));
    assertEquals("rate_limited", error(c.last()).code());
    fx.clock.advance(Duration.ofMillis(500));
    c.send(new ClientCommand.Ping("3"));
    assertEquals(new ServerFrame.Pong("3"), c.last());
  }

  @Test
  void slowConsumerIsClosedWith1013AndOthersKeepReceiving() {
    var slow = fx.connect(user("slow"), FakeClientChannel.stalled(3)); // welcome takes one slot
    var fast = fx.connect(user("fast"));
    for (int i = 0; i < 5; i++) {
      fx.publishOk(Target.broadcast(), "tick", "{\"n\":" + i + "}");
    }
    assertEquals(CloseCode.SLOW_CONSUMER, slow.channel.closedWith());
    assertTrue(fx.events.has("dropped:slow_consumer"));
    assertTrue(fx.events.has("closed:slow_consumer"));
    assertEquals(5, fast.payloads().size());
    assertEquals(1, fx.core.stats().stats().connections());
  }

  @Test
  void closedConnectionReceivesNothingAndLosesSubscriptions() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("news");
    alice.session.closed();
    int before = alice.channel.written().size();
    fx.publishOk(Target.topic("news"), "headline", "{}");
    fx.publishOk(Target.user("alice"), "note", "{}");
    fx.publishOk(Target.broadcast(), "all", "{}");
    assertEquals(before, alice.channel.written().size());
    assertEquals(0, fx.core.stats().stats().topics());
    assertTrue(fx.core.presence().presence(new io.realtime.domain.TopicName("news"))
        .toCompletableFuture().join().isEmpty());
    assertTrue(fx.events.has("closed:client"));
  }

  @Test
  void drainClosesEveryConnectionWith1001AndRefusesLateOpens() {
    var a = fx.connect(user("a"));
    var b = fx.connect(user("b"));
    fx.core.drain().drain();
    assertTrue(fx.core.drain().draining());
    assertEquals(CloseCode.GOING_AWAY, a.channel.closedWith());
    assertEquals(CloseCode.GOING_AWAY, b.channel.closedWith());
    var late = fx.connect(user("late"));
    assertEquals(CloseCode.GOING_AWAY, late.channel.closedWith());
    assertEquals(0, fx.core.stats().stats().connections());
  }

  @Test
  void drainFlushesWhatWasQueuedBeforeClosing() {
    var stalled = fx.connect(user("a"), FakeClientChannel.stalled(100));
    fx.publishOk(Target.broadcast(), "last", "{}");
    fx.core.drain().drain();
    assertEquals(CloseCode.GOING_AWAY, stalled.channel.closedWith());
    assertEquals(1, stalled.payloads().size(), "the queued message was written before the close");
  }

  @Test
  void presenceWatchersSeeStateJoinsAndLeaves() {
    var watcher = fx.connect(user("watcher"));
    watcher.send(new ClientCommand.Subscribe("1", "room", "", true));
    var state = assertInstanceOf(ServerFrame.Presence.class, watcher.last());
    assertEquals(List.of(new UserId("watcher")), state.joins());

    var bob = fx.connect(user("bob"));
    bob.subscribe("room");
    assertEquals(new ServerFrame.Presence(new io.realtime.domain.TopicName("room"),
        List.of(new UserId("bob")), List.of()), watcher.last());
    var bobPhone = fx.connect(user("bob"));
    bobPhone.subscribe("room");
    bob.session.closed();
    assertInstanceOf(ServerFrame.Ack.class, bobPhone.last(), "bob still present on his phone");
    int framesBefore = watcher.frames().size();
    bobPhone.send(new ClientCommand.Unsubscribe("u", "room"));
    assertEquals(framesBefore + 1, watcher.frames().size());
    assertEquals(new ServerFrame.Presence(new io.realtime.domain.TopicName("room"),
        List.of(), List.of(new UserId("bob"))), watcher.last());
    assertEquals(Set.of(new UserId("watcher")),
        fx.core.presence().presence(new io.realtime.domain.TopicName("room"))
            .toCompletableFuture().join());
  }

  @Test
  void nonWatchersGetNoPresenceFrames() {
    var plain = fx.connect(user("plain"));
    plain.subscribe("room");
    fx.connect(user("bob")).subscribe("room");
    assertTrue(plain.framesOf(ServerFrame.Presence.class).isEmpty());
  }

  @Test
  void kickClosesWith4003() {
    var alice = fx.connect(user("alice"));
    assertTrue(fx.core.kick().kick(alice.session.id()));
    assertEquals(CloseCode.KICKED, alice.channel.closedWith());
    assertFalse(fx.core.kick().kick(alice.session.id()));
    assertTrue(fx.events.has("closed:kicked"));
  }

  @Test
  void serverSideSubscribeDeliversWithoutAnsweringTheClient() {
    var alice = fx.connect(user("alice"));
    int before = alice.frames().size();
    assertTrue(fx.core.subscribeConnection().subscribe(alice.session.id(),
        new io.realtime.domain.TopicName("job:1")));
    assertEquals(before, alice.frames().size());
    fx.publishOk(Target.topic("job:1"), "progress", "{\"p\":50}");
    assertEquals(List.of("{\"p\":50}"), alice.payloads());
    assertFalse(fx.core.subscribeConnection().subscribe(
        new io.realtime.domain.ConnectionId("nope"), new io.realtime.domain.TopicName("job:1")));
  }

  @Test
  void closeTwiceReportsOnce() {
    var alice = fx.connect(user("alice"));
    fx.core.kick().kick(alice.session.id());
    alice.session.closed();
    assertEquals(1, fx.events.all().stream().filter(e -> e.startsWith("closed:")).count());
  }
}
