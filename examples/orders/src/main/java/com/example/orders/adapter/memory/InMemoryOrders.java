package com.example.orders.adapter.memory;

import com.example.orders.domain.Order;
import com.example.orders.domain.OrderId;
import com.example.orders.port.out.Orders;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Orders in a map: the example's stand-in for the service's order database. */
public final class InMemoryOrders implements Orders {
  private final Map<OrderId, Order> byId = new ConcurrentHashMap<>();

  @Override
  public void save(Order order) {
    byId.put(order.id(), order);
  }

  @Override
  public Optional<Order> find(OrderId id) {
    return Optional.ofNullable(byId.get(id));
  }
}
