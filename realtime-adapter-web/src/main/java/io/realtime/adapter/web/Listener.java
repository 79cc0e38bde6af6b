package io.realtime.adapter.web;

/** How a transport's listening socket is set up, one rule for both. */
public final class Listener {
  /**
   * Connections the kernel may hold, handshaken but not yet accepted. Beyond it a connect
   * storm's SYNs are dropped, and each client waits a one-second retransmission: Jetty's
   * default is the JDK's 50, which dropped ~240 SYNs of a 10,000-connection storm here; Undertow
   * takes 1,000, Node 511. The kernel caps it at {@code net.core.somaxconn}.
   */
  public static final int BACKLOG = 1024;

  private Listener() {}
}
