package io.realtime.bench.bare;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSockets;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;

/**
 * The baseline for memory per idle connection: Undertow holding WebSocket sockets and doing
 * nothing else. No token check, no core, no queue: it answers every {@code /ws} upgrade, sends
 * one {@code welcome} so the load tool counts the socket ready, and keeps it. {@code /health}
 * and {@code /metrics} (JVM heap, as the load tool reads it) are all the HTTP it has.
 *
 * <pre>realtime-bench/run.sh idle bare-undertow --connections=10000</pre>
 *
 * Not a server for anything else: it authenticates nobody.
 */
public final class BareUndertowServer {
  private static final String WELCOME = "{\"type\":\"welcome\",\"connectionId\":\"bare\"}";

  private BareUndertowServer() {}

  public static void main(String[] args) {
    WebSocketConnectionCallback hold = (exchange, channel) -> {
      channel.resumeReceives(); // reads pings and closes; data frames are ignored
      WebSockets.sendText(WELCOME, channel, null);
    };
    WebSocketProtocolHandshakeHandler ws = new WebSocketProtocolHandshakeHandler(hold);
    Undertow server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setHandler(exchange -> {
          switch (exchange.getRequestPath()) {
            case "/ws" -> ws.handleRequest(exchange);
            case "/health" -> text(exchange, "application/json", "{\"status\":\"UP\"}");
            case "/metrics" -> text(exchange, "text/plain; version=0.0.4",
                "jvm_memory_used_bytes{area=\"heap\",id=\"all\"} "
                    + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + "\n");
            default -> {
              exchange.setStatusCode(404);
              exchange.endExchange();
            }
          }
        })
        .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    // the same start line as the real servers, which run.sh waits for
    System.out.println("server.started transport=bare-undertow host=127.0.0.1 port=" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
  }

  private static void text(HttpServerExchange exchange, String type, String body) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    exchange.getResponseSender().send(body);
  }
}
