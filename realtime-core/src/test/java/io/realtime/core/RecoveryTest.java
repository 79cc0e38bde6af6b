package io.realtime.core;

import static io.realtime.core.CoreFixture.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.domain.ClientCommand;
import io.realtime.domain.ErrorCode;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.StreamPosition;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.port.in.RealtimeSettings;
import io.realtime.port.out.Replay;
import io.realtime.port.out.TopicHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code subscribe} with {@code since}: replay in order, no duplicates, before live messages. */
class RecoveryTest {
  private CoreFixture fx = new CoreFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void replaysMissedMessagesInOrderAndSaysRecovered() {
    String first = fx.publishOk(Target.topic("feed"), "post", "{\"n\":1}");
    String second = fx.publishOk(Target.topic("feed"), "post", "{\"n\":2}");
    String third = fx.publishOk(Target.topic("feed"), "post", "{\"n\":3}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", first, false));
    assertEquals(List.of(second, third), alice.messageIds());
    assertEquals(new ServerFrame.RecoveryAck("s", true),
        alice.framesOf(ServerFrame.RecoveryAck.class).get(0));
  }

  @Test
  void sinceTheNewestMessageReplaysNothingAndIsRecovered() {
    String last = fx.publishOk(Target.topic("feed"), "post", "{}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", last, false));
    assertEquals(new ServerFrame.RecoveryAck("s", true), alice.last());
    assertEquals(List.of(), alice.messageIds());
  }

  @Test
  void trimmedHistoryReplaysWhatItHasAndSaysNotRecovered() {
    fx.close();
    ManualClock clock = new ManualClock();
    fx = new CoreFixture(b -> b.history(CoreFixture.history(2, clock)));
    String first = fx.publishOk(Target.topic("feed"), "post", "{\"n\":1}");
    fx.publishOk(Target.topic("feed"), "post", "{\"n\":2}");
    String third = fx.publishOk(Target.topic("feed"), "post", "{\"n\":3}");
    String fourth = fx.publishOk(Target.topic("feed"), "post", "{\"n\":4}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", first, false));
    assertEquals(new ServerFrame.RecoveryAck("s", false),
        alice.framesOf(ServerFrame.RecoveryAck.class).get(0));
    assertEquals(List.of(third, fourth), alice.messageIds());
  }

  @Test
  void idFromAnotherEpochIsNotRecoveredAndReplaysEverything() {
    String only = fx.publishOk(Target.topic("feed"), "post", "{}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", "5-otherepoch", false));
    assertEquals(new ServerFrame.RecoveryAck("s", false),
        alice.framesOf(ServerFrame.RecoveryAck.class).get(0));
    assertEquals(List.of(only), alice.messageIds());
  }

  @Test
  void sinceWithoutHistoryIsHistoryUnavailable() {
    fx.close();
    fx = new CoreFixture(b -> b.history(CoreFixture.history(0, new ManualClock())));
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", "1-x", false));
    var e = assertInstanceOf(ServerFrame.Error.class, alice.last());
    assertEquals("history_unavailable", e.code());
  }

  /**
   * The race the design is about: a message published after the subscription is registered
   * but before the history is read is both in the replay and delivered live. It must arrive
   * once, in order, after the replay; and one published after the read arrives after it too.
   */
  @Test
  void messagePublishedDuringRecoveryArrivesOnceAfterTheReplay() {
    fx.close();
    ManualClock clock = new ManualClock();
    TopicHistory real = CoreFixture.history(100, clock);
    List<Runnable> duringRead = new ArrayList<>();
    TopicHistory racing = new ForwardingHistory(real) {
      @Override
      public Replay since(TopicName topic, StreamPosition after) {
        duringRead.forEach(Runnable::run); // published live, before the read: in the replay too
        Replay replay = real.since(topic, after);
        duringRead.clear();
        return replay;
      }
    };
    fx = new CoreFixture(b -> b.history(racing));
    String first = fx.publishOk(Target.topic("feed"), "post", "{\"n\":1}");
    String second = fx.publishOk(Target.topic("feed"), "post", "{\"n\":2}");
    List<String> raced = new ArrayList<>();
    duringRead.add(() -> raced.add(fx.publishOk(Target.topic("feed"), "post", "{\"n\":3}")));
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", first, false));
    String after = fx.publishOk(Target.topic("feed"), "post", "{\"n\":4}");
    assertEquals(List.of(second, raced.get(0), after), alice.messageIds());
  }

  @Test
  void resubscribingWhileSubscribedAcksWithoutReplay() {
    var alice = fx.connect(user("alice"));
    alice.subscribe("feed");
    String id = fx.publishOk(Target.topic("feed"), "post", "{}");
    alice.send(new ClientCommand.Subscribe("again", "feed", "1-x", false));
    assertEquals(new ServerFrame.RecoveryAck("again", true), alice.last());
    assertEquals(List.of(id), alice.messageIds());
  }

  @Test
  void aFailingHistoryAnswersUnavailableAndLeavesNoSubscriptionBehind() {
    fx.close();
    TopicHistory failing = new ForwardingHistory(CoreFixture.history(100, new ManualClock())) {
      @Override
      public Replay since(TopicName topic, StreamPosition after) {
        throw new IllegalStateException("history store down");
      }
    };
    fx = new CoreFixture(b -> b.history(failing));
    String before = fx.publishOk(Target.topic("feed"), "post", "{}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", before, true));
    ServerFrame.Error error = assertInstanceOf(ServerFrame.Error.class, alice.last());
    assertEquals("s", error.ref());
    assertEquals(ErrorCode.UNAVAILABLE.wire(), error.code());
    assertEquals(0, fx.core.stats().stats().topics(), "no half-made subscription");
    assertEquals(Set.of(),
        fx.core.presence().presence(new TopicName("feed")).toCompletableFuture().join());
    for (int i = 0; i < 3 * RealtimeSettings.defaults().sendQueue(); i++) { // nothing is held
      fx.publishOk(Target.topic("feed"), "post", "{}");
    }
    assertTrue(alice.channel.isOpen());
    assertEquals(List.of(), alice.messageIds());
    alice.subscribe("feed"); // and it can subscribe again
    String after = fx.publishOk(Target.topic("feed"), "post", "{}");
    assertEquals(List.of(after), alice.messageIds());
  }

  @Test
  void aSinceThatIsNoPositionReplaysWhatIsKeptAndIsNotRecovered() {
    String first = fx.publishOk(Target.topic("feed"), "post", "{}");
    var alice = fx.connect(user("alice"));
    alice.send(new ClientCommand.Subscribe("s", "feed", "not-a-position", false));
    assertEquals(new ServerFrame.RecoveryAck("s", false),
        alice.framesOf(ServerFrame.RecoveryAck.class).get(0));
    assertEquals(List.of(first), alice.messageIds());
  }
}
