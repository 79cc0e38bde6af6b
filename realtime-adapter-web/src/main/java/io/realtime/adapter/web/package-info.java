/**
 * What both transports do alike, written once: the wire codec ({@link
 * io.realtime.adapter.web.JacksonFrameCodec}), the upgrade decision ({@link
 * io.realtime.adapter.web.HandshakePolicy}), every plain HTTP route ({@link
 * io.realtime.adapter.web.HttpApi}), the bounded outbound queue ({@link
 * io.realtime.adapter.web.OutboundQueue}) and the per-socket glue ({@link
 * io.realtime.adapter.web.WebSocketBridge}), all reached through {@link
 * io.realtime.adapter.web.WebAdapter}. No type of a transport appears here: a transport
 * implements {@link io.realtime.adapter.web.FrameSink} and {@link
 * io.realtime.adapter.web.RealtimeServer} (its start and drain kept by {@link
 * io.realtime.adapter.web.ServerLifecycle}) and maps its callbacks.
 *
 * <p>{@link io.realtime.adapter.web.WebTransport} does all of it for the node facade; by hand:
 * <pre>{@code
 * RealtimeCore core = RealtimeCore.builder(verifier).settings(settings)
 *     .codec(new JacksonFrameCodec(settings.maxFrameBytes())).build();
 * WebAdapter web = WebAdapter.builder(settings, core)    // the core's use cases, as one
 *     .metrics(prometheus::scrape)           // GET /metrics
 *     .devTokens(minter)                     // only with settings.devMode()
 *     .build();
 * RealtimeServer server = new JettyRealtimeServer(web);   // or the Undertow one
 * server.start();
 * }</pre>
 *
 * <p>Choices where the protocol is silent: {@code DELETE /api/v1/connections/{id}} and the
 * server-side subscribe answer 404 {@code not_found} for a connection not open on this node; a
 * verified JWT without {@code realtime:admin} gets 401 like any wrong credential; in dev mode
 * the API accepts any token that verifies; an {@code Idempotency-Key} reused with another body
 * is 400; request bodies over {@code maxRequestBytes} are 413. Threading rules are on each type.
 */
package io.realtime.adapter.web;
