package com.example.orders.service;

import com.example.orders.domain.Customer;
import com.example.orders.domain.Order;
import com.example.orders.domain.OrderId;
import com.example.orders.port.in.PlaceOrderUseCase;
import com.example.orders.port.out.Customers;
import com.example.orders.port.out.OrderNotifier;
import com.example.orders.port.out.Orders;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Places orders for enabled customers, keeps them, and notifies the customer. Knows nothing of
 * realtime: the notifier is a port, and realtime is one adapter of it.
 */
public final class OrderService implements PlaceOrderUseCase {
  private final Customers customers;
  private final Orders orders;
  private final OrderNotifier notifier;
  private final Clock clock;

  public OrderService(Customers customers, Orders orders, OrderNotifier notifier, Clock clock) {
    this.customers = customers;
    this.orders = orders;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public PlaceOrderResult place(PlaceOrder command) {
    Optional<Customer> customer = customers.find(command.customer());
    if (customer.isEmpty() || !customer.get().enabled()) {
      return new PlaceOrderResult.Refused("no such customer, or the account is disabled");
    }
    Optional<String> problem = Order.problem(command.item(), command.quantity());
    if (problem.isPresent()) {
      return new PlaceOrderResult.Refused(problem.get());
    }
    Order order = new Order(new OrderId(UUID.randomUUID().toString()), command.customer(),
        command.item(), command.quantity(), clock.instant());
    orders.save(order);
    notifier.orderPlaced(order); // after the save: a notified order is a kept order
    return new PlaceOrderResult.Placed(order);
  }
}
