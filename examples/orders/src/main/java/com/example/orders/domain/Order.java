package com.example.orders.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A placed order: one item, some quantity, for one customer. */
public record Order(OrderId id, CustomerId customer, String item, int quantity, Instant placedAt) {
  /** The most of one item an order may hold. */
  public static final int MAX_QUANTITY = 100;

  public Order {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(placedAt, "placedAt");
    if (problem(item, quantity).isPresent()) {
      throw new IllegalArgumentException(problem(item, quantity).get());
    }
  }

  /** What is wrong with ordering {@code quantity} of {@code item}, if anything. */
  public static Optional<String> problem(String item, int quantity) {
    if (item == null || item.isBlank()) {
      return Optional.of("an order needs an item");
    }
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      return Optional.of("quantity must be 1.." + MAX_QUANTITY + " (got " + quantity + ")");
    }
    return Optional.empty();
  }
}
