package io.realtime.port.in;

/** Whether a node's link to the other nodes works, as {@code /health} reports it. */
public enum BackplaneStatus {
  /** A single node: there is no shared store to reach. */
  LOCAL,
  /** The shared store is reachable. */
  UP,
  /** The shared store is out of reach: publishes are refused with {@code unavailable}. */
  DOWN
}
