package io.realtime.bench;

import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.core.RealtimeCore;
import io.realtime.domain.CloseCode;
import io.realtime.domain.Principal;
import io.realtime.domain.RawJson;
import io.realtime.domain.Target;
import io.realtime.domain.TopicPattern;
import io.realtime.domain.UserId;
import io.realtime.port.in.ClientSession;
import io.realtime.port.in.OpenConnectionUseCase.OpenRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishRequest;
import io.realtime.port.in.PublishMessageUseCase.PublishResult;
import io.realtime.port.out.AuthFailure;
import io.realtime.port.out.ClientChannel;
import io.realtime.port.out.EncodedFrame;
import io.realtime.port.out.TokenCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One publish through the whole core to {@code subscribers} connections whose channels only
 * count what they are offered: validation, routing, encoding once, the topic's history and
 * sequencer (for a topic), and the offer to each queue. The transports' cost is not here.
 * {@code threads} publishers at once show what the per-topic sequencer costs under contention.
 *
 * <pre>java -jar realtime-bench/target/benchmarks.jar PublishBench -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PublishBench {
  @Param({"1", "100"})
  public int subscribers;

  private RealtimeCore core;
  private PublishRequest toTopic;
  private PublishRequest toUser;
  private final LongAdder offered = new LongAdder();

  @Setup(Level.Trial)
  public void setUp() {
    core = RealtimeCore.builder(token -> new TokenCheck.Invalid(AuthFailure.MISSING))
        .codec(new JacksonFrameCodec())
        .build();
    for (int i = 0; i < subscribers; i++) {
      ClientSession session = core.openConnection().open(new OpenRequest(
          Principal.of(new UserId("u")).withTopics(List.of(new TopicPattern("*"))), new CountingChannel(),
          Map.of()));
      session.receiveText("{\"type\":\"subscribe\",\"topic\":\"room\",\"ref\":\"s\"}");
    }
    RawJson payload = new RawJson("{\"message\":\"New order\",\"orderId\":12345}");
    toTopic = new PublishRequest(Target.topic("room"), "notification", payload);
    toUser = new PublishRequest(Target.user("u"), "notification", payload);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    core.close();
  }

  @Benchmark
  public PublishResult topic() {
    return core.publish().publish(toTopic);
  }

  @Benchmark
  @Threads(2)
  public PublishResult topicTwoPublishers() {
    return core.publish().publish(toTopic);
  }

  @Benchmark
  public PublishResult user() {
    return core.publish().publish(toUser);
  }

  /** Takes every frame and forgets it: a reader that is never behind. */
  private final class CountingChannel implements ClientChannel {
    @Override
    public boolean offer(EncodedFrame frame) {
      offered.increment();
      return true;
    }

    @Override
    public void close(CloseCode code, String reason) {}

    @Override
    public void ping() {}

    @Override
    public boolean isOpen() {
      return true;
    }
  }
}
