package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.realtime.architecture.HexagonRules;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orders service keeps realtime's hexagon rules: its domain, ports and service see only
 * {@code java.*} and each other, its adapters never see the service, and realtime itself (a
 * framework, to this service) stays in the realtime adapter and the wiring.
 */
class OrdersArchitectureTest {
  static final HexagonRules ORDERS = HexagonRules.forBasePackage("com.example.orders")
      .domain("domain").inboundPorts("port.in").outboundPorts("port.out").services("service")
      .adapters("adapter").wiring("app")
      .framework("io.realtime..", "adapter.realtime", "app");

  private static JavaClasses orders;

  @BeforeAll
  static void importOrders() {
    orders = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("com.example.orders");
  }

  @Test
  void importSeesEveryLayer() {
    // rules over packages that silently moved would pass
    for (String layer : List.of("domain", "port.in", "port.out", "service", "adapter.realtime",
        "adapter.memory", "app")) {
      String name = "com.example.orders." + layer;
      assertTrue(orders.stream().anyMatch(c -> c.getPackageName().equals(name)),
          () -> "no class of " + name + " imported");
    }
  }

  @Test
  void ordersKeepTheHexagon() {
    ORDERS.check(orders);
  }
}
