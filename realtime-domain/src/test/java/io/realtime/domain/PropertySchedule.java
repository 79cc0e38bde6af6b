package io.realtime.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * One case of a property test (STACK.md section 10): a seeded random source and the steps taken
 * so far, so that a failure message names the seed and the schedule that led to it.
 *
 * <p>Replay one case with {@code -Drealtime.seed=<seed>}: {@link #seeds} then yields only it.
 * Shared with the service-level properties of realtime-ports through this module's test-jar.
 */
public final class PropertySchedule {
  /** System property that narrows every property test to one seed. */
  public static final String SEED_PROPERTY = "realtime.seed";

  public final long seed;
  public final SplittableRandom random;
  private final List<String> steps = new ArrayList<>();

  public PropertySchedule(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** Seeds 1..count, or only the seed given as {@code -Drealtime.seed}. */
  public static LongStream seeds(int count) {
    String only = System.getProperty(SEED_PROPERTY);
    if (only != null && !only.isBlank()) {
      return LongStream.of(Long.parseLong(only.trim()));
    }
    return LongStream.rangeClosed(1, count);
  }

  /** Records a step; returns its text. */
  public String step(String text) {
    steps.add(text);
    return text;
  }

  public <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Each value independently with probability 1/2, in the list's order. */
  public <T> Set<T> subset(List<T> values) {
    Set<T> out = new LinkedHashSet<>();
    for (T value : values) {
      if (random.nextBoolean()) {
        out.add(value);
      }
    }
    return out;
  }

  /** True with the given probability. */
  public boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  /** A failure message: what broke, then the seed and every step so far. */
  public Supplier<String> failure(String what) {
    return () -> describe(what);
  }

  /** A failure message for independent cases: what broke and the seed, without the steps. */
  public Supplier<String> caseFailure(String what) {
    return () -> what + "\nseed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ")";
  }

  public String describe(String what) {
    StringBuilder out = new StringBuilder();
    out.append(what).append('\n')
        .append("seed ").append(seed).append(" (replay: -D").append(SEED_PROPERTY).append('=')
        .append(seed).append("), after ").append(steps.size()).append(" steps:\n");
    for (int i = 0; i < steps.size(); i++) {
      out.append(String.format("  %3d. %s%n", i + 1, steps.get(i)));
    }
    return out.toString();
  }
}
