package com.example.orders.domain;

import java.util.Objects;

/** An order's id. */
public record OrderId(String value) {
  public OrderId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("order id is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
