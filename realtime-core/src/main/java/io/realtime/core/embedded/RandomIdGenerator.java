package io.realtime.core.embedded;

import io.realtime.port.out.IdGenerator;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids made of a random 10-character node prefix and a counter: unique across nodes and restarts
 * without coordination, and cheap (one atomic increment).
 */
public final class RandomIdGenerator implements IdGenerator {
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  public RandomIdGenerator() {
    this(randomToken(10));
  }

  RandomIdGenerator(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public String next() {
    return prefix + Long.toString(counter.incrementAndGet(), 36);
  }

  /** {@code length} random characters from [0-9a-z]. */
  public static String randomToken(int length) {
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }
}
