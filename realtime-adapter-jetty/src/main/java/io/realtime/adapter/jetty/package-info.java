/**
 * The realtime node on Jetty 12.1's core API (no servlets): {@link
 * io.realtime.adapter.jetty.JettyRealtimeServer} over a {@code WebAdapter}. Only callback
 * mapping lives here; Jetty types never leave this package's non-public classes (the endpoint
 * class is public only because Jetty requires it).
 */
package io.realtime.adapter.jetty;
