package io.realtime.bench;

import io.realtime.adapter.web.JacksonFrameCodec;
import io.realtime.domain.Envelope;
import io.realtime.domain.RawJson;
import io.realtime.domain.ServerFrame;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.port.out.EncodedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of encoding one delivered message with {@link JacksonFrameCodec}: what the publish path
 * pays once per message (the frame is shared by every recipient), for a small payload and a
 * 1 KiB one, to everyone and to a topic (which adds the {@code topic} field). {@code utf8}
 * adds what a transport pays when it turns the frame's text into bytes, which happens per
 * recipient when a transport's send takes a {@code String}.
 *
 * <pre>java -jar realtime-bench/target/benchmarks.jar FrameEncodingBench -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameEncodingBench {
  /** Payload size in bytes: a small notification, or 1 KiB. */
  @Param({"small", "1KiB"})
  public String payload;

  private final JacksonFrameCodec codec = new JacksonFrameCodec();
  private Envelope broadcast;
  private Envelope topic;
  private EncodedFrame encoded;

  @Setup(Level.Trial)
  public void setUp() {
    String json = switch (payload) {
      case "small" -> "{\"message\":\"New order\",\"orderId\":12345}";
      case "1KiB" -> "{\"message\":\"" + "x".repeat(1024 - 15) + "\"}";
      default -> throw new IllegalArgumentException(payload);
    };
    Instant now = Instant.parse("2026-11-24T12:00:00.123Z");
    broadcast = new Envelope("8c1f0a4e-3b6d-4f1e-9a57-2d1c7e5b9f03", "notification",
        new RawJson(json), now, new Target.Broadcast());
    topic = new Envelope("1732449600123-0", "notification", new RawJson(json), now,
        new Target.Topic(new TopicName("order:12345")));
    encoded = codec.encode(new ServerFrame.Message(broadcast));
  }

  @Benchmark
  public EncodedFrame broadcast() {
    return codec.encode(new ServerFrame.Message(broadcast));
  }

  @Benchmark
  public EncodedFrame topic() {
    return codec.encode(new ServerFrame.Message(topic));
  }

  @Benchmark
  public byte[] utf8() {
    return encoded.text().getBytes(StandardCharsets.UTF_8);
  }
}
