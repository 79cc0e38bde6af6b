package com.example.orders.domain;

import java.util.Objects;
import java.util.Set;

/**
 * A customer as the orders service knows them.
 *
 * @param enabled false once the account is disabled: no orders, no realtime connection
 * @param roles what the service grants them ({@code "vip"}), whatever their token says
 */
public record Customer(CustomerId id, String name, boolean enabled, Set<String> roles) {
  public Customer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
  }

  public Customer disabled() {
    return new Customer(id, name, false, roles);
  }
}
