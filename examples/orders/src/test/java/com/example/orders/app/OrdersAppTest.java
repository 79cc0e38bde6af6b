package com.example.orders.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.orders.adapter.memory.InMemoryCustomers;
import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import com.example.orders.port.in.PlaceOrderUseCase.PlaceOrder;
import com.example.orders.port.in.PlaceOrderUseCase.PlaceOrderResult;
import io.realtime.adapter.jwt.HmacTokenIssuer;
import io.realtime.adapter.jwt.KeySource;
import io.realtime.port.in.RealtimeSettings;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service as its customers see it: a real WebSocket client on loopback, real JWTs. */
class OrdersAppTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final CustomerId BOB = new CustomerId("bob");

  private final KeySource.Secret secret = new KeySource.Secret(HmacTokenIssuer.randomSecret());
  private final HmacTokenIssuer tokens = new HmacTokenIssuer(secret);
  private final InMemoryCustomers customers = new InMemoryCustomers()
      .put(new Customer(ALICE, "Alice", true, Set.of("vip")))
      .put(new Customer(BOB, "Bob", false, Set.of()));
  private OrdersApp app;

  @BeforeEach
  void start() {
    app = OrdersApp.start(RealtimeSettings.defaults().withHost("127.0.0.1").withPort(0)
        .withDrainTimeout(Duration.ofSeconds(2)), secret, customers);
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void placingAnOrderNotifiesTheCustomersConnection() throws Exception {
    try (CustomerSocket alice = CustomerSocket.connect(app.port(), tokenFor(ALICE))) {
      String welcome = alice.nextFrame(WAIT);
      assertTrue(welcome.contains("\"type\":\"welcome\""), welcome);

      PlaceOrderResult result = app.placeOrder().place(new PlaceOrder(ALICE, "book", 2));

      PlaceOrderResult.Placed placed = assertInstanceOf(PlaceOrderResult.Placed.class, result);
      String frame = alice.nextFrame(WAIT);
      assertTrue(frame.contains("\"type\":\"order.placed\""), frame);
      assertTrue(frame.contains("\"orderId\":\"" + placed.order().id() + "\""), frame);
      assertTrue(frame.contains("\"item\":\"book\",\"quantity\":2"), frame);
    }
  }

  @Test
  void theUserModuleAddsTheRolesTheServiceGrants() throws Exception {
    try (CustomerSocket alice = CustomerSocket.connect(app.port(), tokenFor(ALICE))) {
      String welcome = alice.nextFrame(WAIT);
      // the token carries no roles: these come from the customer store
      assertTrue(welcome.matches(".*\"roles\":\\[[^]]*\"vip\".*"), welcome);
      assertTrue(welcome.matches(".*\"roles\":\\[[^]]*\"customer\".*"), welcome);
    }
  }

  @Test
  void aDisabledCustomerIsRefusedAtTheUpgrade() {
    assertEquals(401, refusedStatus(tokenFor(BOB)));
  }

  @Test
  void aCustomerDisabledLaterCannotConnectAgain() throws Exception {
    try (CustomerSocket alice = CustomerSocket.connect(app.port(), tokenFor(ALICE))) {
      alice.nextFrame(WAIT);
    }
    customers.disable(ALICE);
    assertEquals(401, refusedStatus(tokenFor(ALICE)));
    assertInstanceOf(PlaceOrderResult.Refused.class,
        app.placeOrder().place(new PlaceOrder(ALICE, "book", 1)));
  }

  @Test
  void anUnknownCustomerIsRefusedAtTheUpgrade() {
    assertEquals(401, refusedStatus(tokenFor(new CustomerId("mallory"))));
  }

  private String tokenFor(CustomerId customer) {
    return tokens.issue(customer.value(), Set.of(), Set.of(), List.of(), Duration.ofMinutes(5));
  }

  private int refusedStatus(String token) {
    CompletionException refused = assertThrows(CompletionException.class,
        () -> CustomerSocket.connect(app.port(), token).close());
    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
    return handshake.getResponse().statusCode();
  }
}
