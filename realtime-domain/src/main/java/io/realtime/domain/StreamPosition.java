package io.realtime.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A message's place in its topic's stream: its wire id, usable as {@code since}.
 *
 * <p>Offsets grow by one per message within an epoch; a new epoch means the stream was reset
 * (a restart of the in-memory history), so offsets of different epochs never compare. The wire
 * form is {@code <offset>-<epoch>}, such as {@code 42-k3x9}.
 */
public record StreamPosition(long offset, String epoch) implements Comparable<StreamPosition> {
  public StreamPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 0) {
      throw new IllegalArgumentException("offset < 0");
    }
    if (epoch.isEmpty() || epoch.indexOf('-') >= 0) {
      throw new IllegalArgumentException("epoch must be non-empty without '-'");
    }
  }

  /** The position before the first message of an epoch. */
  public static StreamPosition start(String epoch) {
    return new StreamPosition(0, epoch);
  }

  public static Optional<StreamPosition> parse(String id) {
    int dash = id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1 || id.indexOf('-', dash + 1) >= 0) {
      return Optional.empty();
    }
    for (int i = 0; i < dash; i++) { // digits only, no sign, no leading zero: one text per id
      char c = id.charAt(i);
      if (c < '0' || c > '9' || (i == 0 && c == '0' && dash > 1)) {
        return Optional.empty();
      }
    }
    try {
      long offset = Long.parseLong(id, 0, dash, 10);
      return Optional.of(new StreamPosition(offset, id.substring(dash + 1)));
    } catch (NumberFormatException e) { // more digits than a long holds
      return Optional.empty();
    }
  }

  public boolean sameEpoch(StreamPosition other) {
    return epoch.equals(other.epoch);
  }

  public StreamPosition next() {
    return new StreamPosition(offset + 1, epoch);
  }

  /** Orders positions of one epoch; comparing different epochs is a bug. */
  @Override
  public int compareTo(StreamPosition other) {
    if (!sameEpoch(other)) {
      throw new IllegalArgumentException("positions of different epochs do not compare");
    }
    return Long.compare(offset, other.offset);
  }

  public String id() {
    return offset + "-" + epoch;
  }

  @Override
  public String toString() {
    return id();
  }
}
