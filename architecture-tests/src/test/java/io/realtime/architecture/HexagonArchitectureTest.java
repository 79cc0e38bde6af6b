package io.realtime.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The realtime product keeps the hexagon: every module on the test classpath, tests excluded. */
class HexagonArchitectureTest {
  /** The realtime layout, with each transport and library confined to the adapter wrapping it. */
  static final HexagonRules REALTIME = HexagonRules.forBasePackage("io.realtime")
      .domain("domain").inboundPorts("port.in").outboundPorts("port.out").services("core")
      .adapters("adapter").sharedAdapters("adapter.web").wiring("app")
      .framework("org.eclipse.jetty..", "adapter.jetty")
      .framework("io.undertow..", "adapter.undertow")
      .framework("org.xnio..", "adapter.undertow")
      .framework("com.nimbusds..", "adapter.jwt")
      .framework("io.lettuce..", "adapter.redis")
      .framework("com.fasterxml.jackson..", "adapter");

  private static JavaClasses product;

  @BeforeAll
  static void importProduct() {
    product = new ClassFileImporter()
        .withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("io.realtime");
  }

  @Test
  void importSeesEveryModuleWithCode() {
    // rules over a classpath that silently lost a module would pass
    for (String module : List.of("io.realtime.domain", "io.realtime.port.in",
        "io.realtime.port.out", "io.realtime.core", "io.realtime.adapter.web",
        "io.realtime.adapter.jwt", "io.realtime.adapter.jetty", "io.realtime.adapter.undertow",
        "io.realtime.adapter.redis", "io.realtime.app")) {
      assertTrue(product.stream().anyMatch(c -> c.getPackageName().startsWith(module)),
          () -> "no class of " + module + " imported");
    }
  }

  @Test
  void productKeepsTheHexagon() {
    REALTIME.check(product);
  }
}
