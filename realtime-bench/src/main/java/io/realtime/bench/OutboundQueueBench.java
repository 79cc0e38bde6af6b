package io.realtime.bench;

import io.realtime.adapter.web.FrameSink;
import io.realtime.adapter.web.OutboundQueue;
import io.realtime.port.out.EncodedFrame;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of handing a frame to a connection's {@link OutboundQueue} over a sink that completes
 * every send at once (so the figure is the queue's own: offer, CAS of the writer flag, poll,
 * the send callback), in three shapes:
 * <ul>
 *   <li>{@code single}: one thread offering to one queue;
 *   <li>{@code contended}: two producers offering to the same queue at once, as when two
 *       publishers reach one connection; one of them drains while the other enqueues;
 *   <li>{@code fanOut}: one thread offering one frame to {@code recipients} queues, as a
 *       broadcast does; reported per recipient.
 * </ul>
 *
 * <pre>java -jar realtime-bench/target/benchmarks.jar OutboundQueueBench -f 1 -wi 3 -i 5</pre>
 *
 * On a 2-core machine the contended group uses both cores; run it on an otherwise idle machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OutboundQueueBench {
  static final EncodedFrame FRAME = new EncodedFrame(
      "{\"type\":\"notification\",\"id\":\"8c1f0a4e\",\"payload\":{\"n\":1},\"ts\":\"2026-11-24T12:00:00.123Z\"}");

  /** A sink whose sends complete before {@code sendText} returns; counts what it was given. */
  static final class InstantSink implements FrameSink {
    long sent;

    @Override
    public void sendText(EncodedFrame frame, SendCallback done) {
      sent++; // only the queue's single writer calls this
      done.succeeded();
    }

    @Override
    public void sendTextBatched(EncodedFrame frame) {
      sent++;
    }

    @Override
    public void sendPing() {}

    @Override
    public void close(int code, String reason) {}

    @Override
    public boolean isOpen() {
      return true;
    }
  }

  /** One queue shared by the threads of a group. */
  @State(Scope.Group)
  public static class Shared {
    OutboundQueue queue;

    @Setup(Level.Trial)
    public void setUp() {
      queue = new OutboundQueue(new InstantSink(), 1024);
    }
  }

  /** Many queues, one per recipient, for the fan-out. */
  @State(Scope.Thread)
  public static class Recipients {
    @Param({"1000"})
    public int recipients;

    OutboundQueue[] queues;

    @Setup(Level.Trial)
    public void setUp() {
      queues = new OutboundQueue[recipients];
      for (int i = 0; i < recipients; i++) {
        queues[i] = new OutboundQueue(new InstantSink(), 1024);
      }
    }
  }

  @Benchmark
  @Group("single")
  @GroupThreads(1)
  public boolean single(Shared s) {
    return s.queue.offer(FRAME);
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public boolean contended(Shared s) {
    return s.queue.offer(FRAME);
  }

  @Benchmark
  @OperationsPerInvocation(1000)
  public int fanOut(Recipients r) {
    int accepted = 0;
    for (OutboundQueue q : r.queues) {
      if (q.offer(FRAME)) {
        accepted++;
      }
    }
    return accepted;
  }
}
