package com.example.orders.domain;

import java.util.Objects;

/** Who a customer is; also their realtime user id (the token's {@code sub}). */
public record CustomerId(String value) {
  public CustomerId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("customer id is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
