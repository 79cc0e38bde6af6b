package com.example.orders.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.example.orders.adapter.memory.InMemoryCustomers;
import com.example.orders.adapter.memory.InMemoryOrders;
import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import com.example.orders.domain.Order;
import com.example.orders.port.in.PlaceOrderUseCase.PlaceOrder;
import com.example.orders.port.in.PlaceOrderUseCase.PlaceOrderResult;
import com.example.orders.port.out.OrderNotifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The use case on its own: no realtime, no network, a recording notifier. */
class OrderServiceTest {
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final InMemoryCustomers customers = new InMemoryCustomers()
      .put(new Customer(ALICE, "Alice", true, Set.of()));
  private final InMemoryOrders orders = new InMemoryOrders();
  private final RecordingNotifier notifier = new RecordingNotifier();
  private final OrderService service =
      new OrderService(customers, orders, notifier, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void placedOrderIsKeptAndTheCustomerNotified() {
    PlaceOrderResult result = service.place(new PlaceOrder(ALICE, "book", 3));

    Order order = assertInstanceOf(PlaceOrderResult.Placed.class, result).order();
    assertEquals(ALICE, order.customer());
    assertEquals(NOW, order.placedAt());
    assertEquals(Optional.of(order), orders.find(order.id()));
    assertEquals(List.of(order), notifier.placed);
  }

  @Test
  void disabledCustomerIsRefusedAndNobodyNotified() {
    customers.disable(ALICE);
    assertInstanceOf(PlaceOrderResult.Refused.class,
        service.place(new PlaceOrder(ALICE, "book", 1)));
    assertEquals(List.of(), notifier.placed);
  }

  @Test
  void badQuantityIsRefusedWithTheReason() {
    PlaceOrderResult result = service.place(new PlaceOrder(ALICE, "book", 0));
    assertEquals("quantity must be 1..100 (got 0)",
        assertInstanceOf(PlaceOrderResult.Refused.class, result).reason());
  }

  /** Keeps every notification. */
  private static final class RecordingNotifier implements OrderNotifier {
    final List<Order> placed = new CopyOnWriteArrayList<>();

    @Override
    public void orderPlaced(Order order) {
      placed.add(order);
    }
  }
}
