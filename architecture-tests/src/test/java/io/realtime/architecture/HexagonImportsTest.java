package io.realtime.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source-level import check {@code build-support/HexagonImports.java}, run as the build runs
 * it (the JDK's source launcher), and its binding in the POMs of the core modules.
 */
class HexagonImportsTest {
  private static final Path ROOT =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent();
  private static final Path SCRIPT = ROOT.resolve("build-support/HexagonImports.java");

  @TempDir
  Path work;

  @Test
  void foreignImportsAreListedWithRuleFileAndLine() throws Exception {
    write("src/io/x/domain/Foo.java", """
        /*
         * A licence header: the scan must get past it.
         */
        // and past this
        package io.x.domain;

        import java.util.List;
        import com.fasterxml.jackson.databind.ObjectMapper;
        import static org.junit.Assert.*;
        import javax.inject.Inject;
        import io.x.domainx.Lookalike;
        import /* split */
            com.acme
            .Split;

        final class Foo {}
        """);
    Run run = check("src", HexagonRules.DOMAIN_RULE, "java.", "io.x.domain");
    assertEquals(1, run.exit, run.output);
    String prefix = "[hexagon] rule \"" + HexagonRules.DOMAIN_RULE + "\" broken: "
        + "src/io/x/domain/Foo.java:";
    for (String expected : List.of("8 imports com.fasterxml.jackson.databind.ObjectMapper",
        "9 imports org.junit.Assert.*", "10 imports javax.inject.Inject",
        "11 imports io.x.domainx.Lookalike", "12 imports com.acme.Split")) {
      assertTrue(run.output.contains(prefix + expected), () -> expected + " in:\n" + run.output);
    }
    assertTrue(run.output.contains("5 import(s) outside java., io.x.domain"), run.output);
  }

  @Test
  void allowedImportsCommentsAndLaterTextPass() throws Exception {
    write("src/io/x/port/in/Bar.java", """
        /* import com.evil.InLicenseHeader; */
        package io.x.port.in;

        import io.x.domain.Thing; // import com.evil.InLineComment;
        import io.x.port.out.Store;
        // import com.evil.Commented;
        import static java.util.Objects.requireNonNull;

        @Deprecated
        public final class Bar {
          static final String TEXT = \"""
              import com.evil.InTextBlock;
              \""";
        }
        """);
    write("src/io/x/port/in/package-info.java", """
        @Deprecated
        package io.x.port.in;

        import java.lang.Deprecated;
        """);
    Run run = check("src", HexagonRules.PORTS_RULE, "java.", "io.x.domain", "io.x.port.");
    assertEquals(0, run.exit, run.output);
    assertEquals("", run.output);
  }

  @Test
  void missingSourceDirectoryIsAUsageErrorNotAPass() throws Exception {
    Run run = check("no-such-dir", HexagonRules.DOMAIN_RULE, "java.");
    assertEquals(2, run.exit, run.output);
  }

  @Test
  void coreModulesRunTheCheckAtValidateWithTheRuleNames() throws IOException {
    assertBinding("realtime-domain", HexagonRules.DOMAIN_RULE, "java.", "io.realtime.domain");
    assertBinding("realtime-ports", HexagonRules.PORTS_RULE, "java.", "io.realtime.domain",
        "io.realtime.port.");
    assertBinding("realtime-core", HexagonRules.SERVICES_RULE, "java.", "io.realtime.domain",
        "io.realtime.port.", "io.realtime.core");
  }

  private static void assertBinding(String module, String rule, String... prefixes)
      throws IOException {
    String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
    List<String> expected = new ArrayList<>(List.of("<phase>validate</phase>",
        argument("${maven.multiModuleProjectDirectory}/build-support/HexagonImports.java"),
        argument("${project.basedir}/src/main/java"), argument(rule)));
    for (String prefix : prefixes) {
      expected.add(argument(prefix));
    }
    for (String fragment : expected) {
      assertTrue(pom.contains(fragment), () -> module + "/pom.xml lacks " + fragment);
    }
  }

  private static String argument(String value) {
    return "<argument>" + value + "</argument>";
  }

  private void write(String relative, String content) throws IOException {
    Path file = work.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** Runs the check from {@link #work}, as the build does from the repository root. */
  private Run check(String sourceDir, String rule, String... prefixes) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), SCRIPT.toString(),
        sourceDir, rule));
    command.addAll(List.of(prefixes));
    Path output = Files.createTempFile(work, "output", ".txt");
    Process process = new ProcessBuilder(command).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("HexagonImports did not finish: " + command);
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private record Run(int exit, String output) {}
}
