package com.example.orders.port.out;

import com.example.orders.domain.Order;
import com.example.orders.domain.OrderId;
import java.util.Optional;

/** Where placed orders are kept. Thread-safe. */
public interface Orders {
  void save(Order order);

  Optional<Order> find(OrderId id);
}
