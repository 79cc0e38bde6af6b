package com.example.orders.app;

import com.example.orders.adapter.memory.InMemoryCustomers;
import com.example.orders.adapter.memory.InMemoryOrders;
import com.example.orders.adapter.realtime.CustomerUserDirectory;
import com.example.orders.adapter.realtime.RealtimeOrderNotifier;
import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import com.example.orders.port.in.PlaceOrderUseCase;
import com.example.orders.port.in.PlaceOrderUseCase.PlaceOrder;
import com.example.orders.port.out.Customers;
import com.example.orders.service.OrderService;
import io.realtime.adapter.jwt.JwtSettings;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.adapter.jwt.NimbusTokenVerifier;
import io.realtime.adapter.undertow.UndertowRealtimeServer;
import io.realtime.adapter.web.WebTransport;
import io.realtime.core.RealtimeCore;
import io.realtime.core.RealtimeNode;
import io.realtime.port.in.RealtimeSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;

/**
 * The wiring, by hand: the orders service with a realtime node embedded on Undertow. Customers
 * connect to {@code ws://host:port/ws} with a JWT signed with the shared secret; placing an
 * order sends them {@code order.placed}.
 *
 * <p>{@link #close()} drains the realtime node (open connections get their queued frames, then
 * 1001) and stops it.
 */
public final class OrdersApp implements AutoCloseable {
  private final RealtimeNode node;
  private final PlaceOrderUseCase placeOrder;

  private OrdersApp(RealtimeNode node, PlaceOrderUseCase placeOrder) {
    this.node = node;
    this.placeOrder = placeOrder;
  }

  /**
   * Starts the service: realtime serves on {@code settings}' host and port, accepts tokens
   * signed with {@code jwtSecret}, and lets in the enabled {@code customers} only.
   */
  public static OrdersApp start(RealtimeSettings settings, KeySource.Secret jwtSecret,
      Customers customers) {
    NimbusTokenVerifier verifier = new NimbusTokenVerifier(
        JwtSettings.of(jwtSecret).withClockSkew(settings.clockSkew()));
    RealtimeNode node = RealtimeCore.builder(verifier)
        .settings(settings)
        .userDirectory(new CustomerUserDirectory(customers))
        .start(WebTransport.of(UndertowRealtimeServer::new));
    OrderService orders = new OrderService(customers, new InMemoryOrders(),
        new RealtimeOrderNotifier(node.publish()), Clock.systemUTC());
    return new OrdersApp(node, orders);
  }

  public PlaceOrderUseCase placeOrder() {
    return placeOrder;
  }

  /** The port realtime listens on (the chosen one when the settings said 0). */
  public int port() {
    return node.port();
  }

  @Override
  public void close() {
    node.close();
  }

  /**
   * Runs the service with two customers, alice (enabled, vip) and bob (disabled), and places
   * the orders typed on standard input as {@code <customer> <item> <quantity>}. Needs
   * {@code ORDERS_JWT_SECRET} (32 characters or more); {@code ORDERS_PORT} defaults to 8080.
   */
  public static void main(String[] args) throws IOException {
    String secret = System.getenv("ORDERS_JWT_SECRET");
    if (secret == null || secret.length() < KeySource.Secret.MIN_BYTES) {
      System.err.println("set ORDERS_JWT_SECRET to a secret of 32 characters or more");
      System.exit(2);
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("ORDERS_PORT", "8080"));
    InMemoryCustomers customers = new InMemoryCustomers()
        .put(new Customer(new CustomerId("alice"), "Alice", true, Set.of("vip")))
        .put(new Customer(new CustomerId("bob"), "Bob", false, Set.of()));
    OrdersApp app = start(RealtimeSettings.defaults().withPort(port),
        KeySource.Secret.utf8(secret), customers);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "orders-shutdown"));
    System.out.println("orders.started port=" + app.port()
        + "; type <customer> <item> <quantity> to place an order");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.strip().split("\\s+");
      if (words.length != 3 || !words[2].matches("\\d{1,9}")) {
        System.out.println("usage: <customer> <item> <quantity>");
        continue;
      }
      System.out.println(app.placeOrder().place(
          new PlaceOrder(new CustomerId(words[0]), words[1], Integer.parseInt(words[2]))));
    }
    app.close();
  }
}
