package io.realtime.adapter.web;

/**
 * How many threads a transport runs, one rule for both: {@link #IO} threads read, write and
 * hand over; {@link #HANDLERS} run handshake decisions, HTTP routes and client messages, since
 * each may block briefly (a key fetch). Sized by the host's cores, not grown with the load: a
 * connect storm on a small host is served faster by a few threads than by hundreds, and each
 * thread grown keeps the stack it touched (docs/BENCHMARKS.md, issue 14).
 */
public final class ServerThreads {
  /** One per core, at least two (Undertow's own default). */
  public static final int IO = Math.max(2, Runtime.getRuntime().availableProcessors());
  /** Eight per I/O thread (Undertow's own default), at most 64. */
  public static final int HANDLERS = Math.min(64, IO * 8);

  private ServerThreads() {}
}
