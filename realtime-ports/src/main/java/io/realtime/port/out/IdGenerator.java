package io.realtime.port.out;

/** Unique ids for connections and messages. Thread-safe. */
public interface IdGenerator {
  /** A new id, unique across nodes and restarts; URL-safe. */
  String next();
}
