package io.realtime.tck;

/**
 * Where a kit node's time comes from: the machine's ({@link #SYSTEM}), or a {@link ManualTime}
 * a test moves by hand, so that timers (token expiry, heartbeats) and rate buckets (client
 * frames, upgrades) fire when the test says, not when a loaded machine gets round to it.
 */
public sealed interface KitTime permits KitTime.System, ManualTime {
  /** The machine's clock, monotonic ticker and the core's own timer thread. */
  KitTime SYSTEM = new System();

  /** Real time. */
  final class System implements KitTime {
    private System() {}
  }
}
