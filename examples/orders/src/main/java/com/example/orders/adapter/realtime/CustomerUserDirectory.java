package com.example.orders.adapter.realtime;

import com.example.orders.domain.Customer;
import com.example.orders.domain.CustomerId;
import com.example.orders.port.out.Customers;
import io.realtime.domain.Principal;
import io.realtime.port.out.UserCheck;
import io.realtime.port.out.UserDirectory;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The bridge from realtime to this service's customers, asked after every token verifies (at
 * the handshake and on a refresh): an unknown or disabled customer is refused (401 before the
 * upgrade), and a known one connects with the roles the service grants them, added to the
 * token's, plus {@value #CUSTOMER_ROLE}.
 *
 * <p>Thread-safe; as fast as the {@link Customers} it reads.
 */
public final class CustomerUserDirectory implements UserDirectory {
  /** The role every connected customer holds. */
  public static final String CUSTOMER_ROLE = "customer";

  private final Customers customers;

  public CustomerUserDirectory(Customers customers) {
    this.customers = Objects.requireNonNull(customers, "customers");
  }

  @Override
  public UserCheck review(Principal verified) {
    Optional<Customer> customer = customers.find(new CustomerId(verified.user().value()));
    if (customer.isEmpty()) {
      return new UserCheck.Denied("unknown customer");
    }
    if (!customer.get().enabled()) {
      return new UserCheck.Denied("account disabled");
    }
    Set<String> roles = new HashSet<>(verified.roles());
    roles.addAll(customer.get().roles());
    roles.add(CUSTOMER_ROLE);
    return new UserCheck.Allowed(verified.withRoles(roles));
  }
}
