package com.example.orders.port.out;

import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import java.util.Optional;

/** The customers the service knows. Thread-safe; answers from memory or a cache. */
public interface Customers {
  Optional<Customer> find(CustomerId id);
}
