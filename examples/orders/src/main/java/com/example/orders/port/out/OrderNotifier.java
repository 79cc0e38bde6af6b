package com.example.orders.port.out;

import com.example.orders.domain.Order;

/**
 * Tells a customer about their order as it happens. Thread-safe; never blocks: a customer with
 * no connection open misses the notification (the order itself is not affected).
 */
public interface OrderNotifier {
  void orderPlaced(Order order);
}
