package io.realtime.bench;

import io.realtime.domain.Connection;
import io.realtime.domain.ConnectionId;
import io.realtime.domain.Principal;
import io.realtime.domain.RoutingTable;
import io.realtime.domain.Target;
import io.realtime.domain.TopicName;
import io.realtime.domain.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of answering "who receives this target" for each kind, with {@code connections}
 * registered: 2 connections per user, 10 roles (one per connection), a topic per 10
 * connections. So a user lookup yields 2 recipients, a role N/10, a topic 10, a connection 1,
 * a broadcast N. The figure that matters is cost per recipient, which must not grow with N.
 *
 * <pre>java -jar realtime-bench/target/benchmarks.jar RoutingBench -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RoutingBench {
  @Param({"1000", "10000", "100000"})
  public int connections;

  private RoutingTable<ConnectionId, String> table;
  private Target[] users;
  private Target[] roles;
  private Target[] topics;
  private Target[] ids;
  private final Target broadcast = new Target.Broadcast();
  private int cursor;

  @Setup(Level.Trial)
  public void register() {
    table = new RoutingTable<>();
    users = new Target[connections / 2];
    roles = new Target[10];
    topics = new Target[connections / 10];
    ids = new Target[connections];
    Instant now = Instant.now();
    for (int i = 0; i < connections; i++) {
      ConnectionId id = new ConnectionId("c" + i);
      UserId user = new UserId("u" + (i / 2));
      String role = "role" + (i % 10);
      Principal principal = Principal.of(user).withRoles(Set.of(role));
      table.add(new Connection(id, principal, Map.of(), now), id);
      TopicName topic = new TopicName("topic:" + (i / 10));
      table.subscribe(id, topic, "s");
      users[i / 2] = new Target.User(user);
      roles[i % 10] = new Target.Role(role);
      topics[i / 10] = new Target.Topic(topic);
      ids[i] = new Target.Connection(id);
    }
  }

  private int next(int bound) {
    cursor = (cursor + 7919) % bound; // walk the keys so lookups are not one cached entry
    return cursor;
  }

  @Benchmark
  public int user(Blackhole bh) {
    return table.forEachRecipient(users[next(users.length)], bh::consume);
  }

  @Benchmark
  public int connection(Blackhole bh) {
    return table.forEachRecipient(ids[next(ids.length)], bh::consume);
  }

  @Benchmark
  public int topic(Blackhole bh) {
    return table.forEachRecipient(topics[next(topics.length)], bh::consume);
  }

  @Benchmark
  public int role(Blackhole bh) {
    return table.forEachRecipient(roles[next(roles.length)], bh::consume);
  }

  @Benchmark
  public int broadcast(Blackhole bh) {
    return table.forEachRecipient(broadcast, bh::consume);
  }
}
