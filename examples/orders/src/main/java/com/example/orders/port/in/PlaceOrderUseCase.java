package com.example.orders.port.in;

import com.example.orders.domain.CustomerId;
import com.example.orders.domain.Order;
import java.util.Objects;

/**
 * A customer places an order; they are told about it on every device they have connected.
 * Thread-safe; does not wait for the notification to be delivered.
 */
public interface PlaceOrderUseCase {
  PlaceOrderResult place(PlaceOrder command);

  /** What the customer asked for. */
  record PlaceOrder(CustomerId customer, String item, int quantity) {
    public PlaceOrder {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(item, "item");
    }
  }

  /** The outcome of placing an order. */
  sealed interface PlaceOrderResult {
    /** Placed, and the customer notified. */
    record Placed(Order order) implements PlaceOrderResult {
      public Placed {
        Objects.requireNonNull(order, "order");
      }
    }

    /** Not placed; {@code reason} is safe to show the customer. */
    record Refused(String reason) implements PlaceOrderResult {
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
