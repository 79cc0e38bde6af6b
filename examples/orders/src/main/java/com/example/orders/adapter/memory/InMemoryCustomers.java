package com.example.orders.adapter.memory;

import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import com.example.orders.port.out.Customers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Customers in a map: the example's stand-in for the service's customer database. */
public final class InMemoryCustomers implements Customers {
  private final Map<CustomerId, Customer> byId = new ConcurrentHashMap<>();

  /** Adds or replaces {@code customer}. */
  public InMemoryCustomers put(Customer customer) {
    byId.put(customer.id(), customer);
    return this;
  }

  /** Disables the customer {@code id}, if known. */
  public void disable(CustomerId id) {
    byId.computeIfPresent(id, (key, customer) -> customer.disabled());
  }

  @Override
  public Optional<Customer> find(CustomerId id) {
    return Optional.ofNullable(byId.get(id));
  }
}
