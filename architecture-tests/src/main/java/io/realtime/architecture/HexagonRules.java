package io.realtime.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rules of a hexagon (ports and adapters) for any service whose packages hang off one base
 * package: a domain, inbound ports, outbound ports, services, one sub-package per adapter, and a
 * wiring package. Every layer is named relative to the base package; the defaults are the
 * realtime layout ({@code domain}, {@code port.in}, {@code port.out}, {@code core},
 * {@code adapter}, {@code app}), with no shared adapter and no framework confined yet.
 *
 * <p>The layers are rings, each seeing only the rings inside it: the domain sees {@code java.*};
 * the ports see the domain and each other; the services (the core) see the ports and the domain;
 * adapters see the ports and the domain but never a service, which only the wiring names.
 *
 * <pre>{@code
 * HexagonRules.forBasePackage("com.example.orders")
 *     .domain("domain").inboundPorts("port.in").outboundPorts("port.out").services("service")
 *     .adapters("adapter").sharedAdapters("adapter.web").wiring("app")
 *     .framework("org.eclipse.jetty..", "adapter.jetty")
 *     .check(new ClassFileImporter().importPackages("com.example.orders"));
 * }</pre>
 *
 * <p>Each rule's description starts with its stable name (the {@code *_RULE} constants, which
 * the source-level import check {@code build-support/HexagonImports.java} reuses) followed by a
 * {@code because}. {@link #check} reports the violations of all rules in one
 * {@link AssertionError}.
 *
 * <p>"No framework annotations in the core" has no rule of its own: ArchUnit counts an
 * annotation (and its parameters) as a dependency, so {@link #domainDependsOnJavaOnly()},
 * {@link #portsDependOnJavaAndDomainOnly()} and {@link #servicesDependOnJavaDomainAndPortsOnly()}
 * already reject any annotation from outside {@code java..} and the core, whatever its
 * retention ({@code RUNTIME} or {@code CLASS}). Two kinds escape every bytecode rule:
 * {@code SOURCE}-retention annotations, which never reach the class file, and type-use
 * annotations ({@code @Nullable String}), which ArchUnit 1.5 does not import; in realtime the
 * source-level check catches their imports, and any unused import.
 *
 * <p>The domain and ports rules fail when their layer is empty, because a hexagon without a core
 * is almost surely a mistyped package; every other rule allows an empty layer, so a project
 * without adapters, wiring or services yet does not fail spuriously.
 *
 * <p>Immutable and thread-safe: every setter returns a copy.
 */
public final class HexagonRules {
  /** Name of {@link #domainDependsOnJavaOnly()}. */
  public static final String DOMAIN_RULE = "domain depends on java.* only";
  /** Name of {@link #portsDependOnJavaAndDomainOnly()}. */
  public static final String PORTS_RULE = "ports depend on java.* and the domain only";
  /** Name of {@link #servicesDependOnJavaDomainAndPortsOnly()}. */
  public static final String SERVICES_RULE =
      "the core depends on java.*, the domain and the ports only";
  /** Name of {@link #adaptersSeePortsNeverServices()}. */
  public static final String ADAPTERS_SEE_PORTS_RULE = "adapters see ports, never core services";
  /** Name of {@link #adaptersDoNotDependOnEachOther()}. */
  public static final String ADAPTERS_RULE = "adapters do not depend on each other";
  /** Name of {@link #onlyTheWiringSeesDagger()}. */
  public static final String DAGGER_RULE = "only the wiring sees Dagger";
  /** Name of {@link #coreDoesNotDependOnAdaptersOrWiring()}. */
  public static final String CORE_RULE = "the core does not depend on adapters or wiring";
  /** Name of {@link #frameworksStayInTheirAdapter()}. */
  public static final String FRAMEWORKS_RULE = "transport frameworks stay in their adapter";
  /** Name of {@link #noPackageCycles()}. */
  public static final String CYCLES_RULE = "no package cycles";

  private static final Pattern PACKAGE_NAME =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
          + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private final String base;
  private final String domain;
  private final String inboundPorts;
  private final String outboundPorts;
  private final String services;
  private final String adapters;
  private final List<String> sharedAdapters;
  private final String wiring;
  private final List<Framework> frameworks;

  private HexagonRules(String base, String domain, String inboundPorts, String outboundPorts,
      String services, String adapters, List<String> sharedAdapters, String wiring,
      List<Framework> frameworks) {
    this.base = base;
    this.domain = domain;
    this.inboundPorts = inboundPorts;
    this.outboundPorts = outboundPorts;
    this.services = services;
    this.adapters = adapters;
    this.sharedAdapters = List.copyOf(sharedAdapters);
    this.wiring = wiring;
    this.frameworks = List.copyOf(frameworks);
  }

  /** Rules for the service rooted at {@code basePackage} (e.g. {@code "io.realtime"}). */
  public static HexagonRules forBasePackage(String basePackage) {
    return new HexagonRules(packageName(basePackage, "base package"), "domain", "port.in",
        "port.out", "core", "adapter", List.of(), "app", List.of());
  }

  /** The domain package, relative to the base: pure model, {@code java.*} only. */
  public HexagonRules domain(String relativePackage) {
    return new HexagonRules(base, packageName(relativePackage, "domain"), inboundPorts,
        outboundPorts, services, adapters, sharedAdapters, wiring, frameworks);
  }

  /** The package of the interfaces that drivers call (use cases), relative to the base. */
  public HexagonRules inboundPorts(String relativePackage) {
    return new HexagonRules(base, domain, packageName(relativePackage, "inbound ports"),
        outboundPorts, services, adapters, sharedAdapters, wiring, frameworks);
  }

  /** The package of the interfaces the core calls, relative to the base. */
  public HexagonRules outboundPorts(String relativePackage) {
    return new HexagonRules(base, domain, inboundPorts,
        packageName(relativePackage, "outbound ports"), services, adapters, sharedAdapters,
        wiring, frameworks);
  }

  /**
   * The package of the use cases implemented over the outbound ports (the core), relative to
   * the base; {@code core} by default.
   */
  public HexagonRules services(String relativePackage) {
    return new HexagonRules(base, domain, inboundPorts, outboundPorts,
        packageName(relativePackage, "services"), adapters, sharedAdapters, wiring, frameworks);
  }

  /**
   * The parent of all adapters, relative to the base; each direct sub-package of it is one
   * adapter ({@code adapter.jetty}, {@code adapter.jwt}).
   */
  public HexagonRules adapters(String relativePackage) {
    return new HexagonRules(base, domain, inboundPorts, outboundPorts, services,
        packageName(relativePackage, "adapters"), sharedAdapters, wiring, frameworks);
  }

  /**
   * Adapters that every other adapter may use (code both transports share), relative to the
   * base; replaces any earlier list. A shared adapter still may not depend on another adapter.
   */
  public HexagonRules sharedAdapters(String... relativePackages) {
    List<String> shared = Stream.of(relativePackages)
        .map(p -> packageName(p, "shared adapter")).collect(Collectors.toList());
    return new HexagonRules(base, domain, inboundPorts, outboundPorts, services, adapters,
        shared, wiring, frameworks);
  }

  /** The one package that builds the object graph and may see Dagger, relative to the base. */
  public HexagonRules wiring(String relativePackage) {
    return new HexagonRules(base, domain, inboundPorts, outboundPorts, services, adapters,
        sharedAdapters, packageName(relativePackage, "wiring"), frameworks);
  }

  /**
   * Confines a framework to the adapter(s) that wrap it: only classes in {@code home} or
   * {@code otherHomes} (relative to the base, sub-packages included) may depend on classes in
   * {@code frameworkPackage}, an ArchUnit package identifier such as
   * {@code "org.eclipse.jetty.."}. Adds to the frameworks already confined.
   */
  public HexagonRules framework(String frameworkPackage, String home, String... otherHomes) {
    Objects.requireNonNull(frameworkPackage, "frameworkPackage");
    PackageMatcher.of(frameworkPackage); // fails fast on a malformed identifier
    List<String> homes = new ArrayList<>();
    homes.add(inside(packageName(home, "framework home")));
    for (String other : otherHomes) {
      homes.add(inside(packageName(other, "framework home")));
    }
    List<Framework> more = new ArrayList<>(frameworks);
    more.add(new Framework(frameworkPackage, List.copyOf(homes)));
    return new HexagonRules(base, domain, inboundPorts, outboundPorts, services, adapters,
        sharedAdapters, wiring, more);
  }

  /** Every rule, in a stable order. */
  public List<ArchRule> all() {
    return List.of(domainDependsOnJavaOnly(), portsDependOnJavaAndDomainOnly(),
        servicesDependOnJavaDomainAndPortsOnly(), coreDoesNotDependOnAdaptersOrWiring(),
        adaptersSeePortsNeverServices(), adaptersDoNotDependOnEachOther(),
        onlyTheWiringSeesDagger(), frameworksStayInTheirAdapter(), noPackageCycles());
  }

  /**
   * Checks every rule against {@code classes} and throws one {@link AssertionError} that holds
   * the report of each broken rule, each report naming its rule; returns normally if none is.
   */
  public void check(JavaClasses classes) {
    List<ArchRule> rules = all();
    List<String> reports = new ArrayList<>();
    for (ArchRule rule : rules) {
      try {
        EvaluationResult result = rule.evaluate(classes);
        if (result.hasViolation()) {
          reports.add(result.getFailureReport().toString());
        }
      } catch (AssertionError emptyShould) {
        // ArchUnit throws instead of returning a result when a rule that must not be empty
        // checked no class; that message names the rule too, and the other rules still run
        reports.add(emptyShould.getMessage());
      }
    }
    if (!reports.isEmpty()) {
      throw new AssertionError(String.format("[hexagon] %d of %d rules broken in %s..%n%n%s",
          reports.size(), rules.size(), base, String.join(String.format("%n%n"), reports)));
    }
  }

  /** {@value #DOMAIN_RULE}: classes in the domain use only {@code java..} and the domain. */
  public ArchRule domainDependsOnJavaOnly() {
    return classes().that().resideInAPackage(inside(domain))
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", inside(domain))
        .as(DOMAIN_RULE)
        .because(String.format("the domain (%s) is pure model and decisions: it uses java.* "
            + "and itself only, no library and no framework annotation", inside(domain)));
  }

  /**
   * {@value #PORTS_RULE}: classes in the inbound and outbound ports use only {@code java..},
   * the domain and the ports (a use case may name what an outbound port returns); never a
   * service, which implements them.
   */
  public ArchRule portsDependOnJavaAndDomainOnly() {
    String[] allowed = Stream.concat(Stream.of("java..", inside(domain)), Stream.of(ports()))
        .toArray(String[]::new);
    return classes().that().resideInAnyPackage(ports())
        .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
        .as(PORTS_RULE)
        .because(String.format("ports (%s) are contracts: they use java.*, the domain (%s) "
            + "and each other only, no service, no library and no framework annotation",
            String.join(", ", ports()), inside(domain)));
  }

  /**
   * {@value #SERVICES_RULE}: classes in the services use only {@code java..}, the domain, the
   * ports and the services. Allows an empty layer (a hexagon without services yet).
   */
  public ArchRule servicesDependOnJavaDomainAndPortsOnly() {
    String[] allowed = Stream.concat(Stream.of("java..", inside(domain), inside(services)),
        Stream.of(ports())).toArray(String[]::new);
    return classes().that().resideInAPackage(inside(services))
        .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
        .as(SERVICES_RULE)
        .because(String.format("the services (%s) implement the inbound ports over the "
            + "outbound ones: they use java.*, the domain and the ports only, so every "
            + "technology stays behind a port", inside(services)))
        .allowEmptyShould(true);
  }

  /** {@value #CORE_RULE}: nothing in the domain, ports or services uses an adapter or wiring. */
  public ArchRule coreDoesNotDependOnAdaptersOrWiring() {
    return noClasses().that().resideInAnyPackage(core())
        .should().dependOnClassesThat().resideInAnyPackage(inside(adapters), inside(wiring))
        .as(CORE_RULE)
        .because(String.format("dependencies point inwards: adapters (%s) and wiring (%s) "
            + "plug into the core, never the reverse", inside(adapters), inside(wiring)))
        .allowEmptyShould(true);
  }

  /**
   * {@value #ADAPTERS_SEE_PORTS_RULE}: no class in an adapter uses a service; an adapter drives
   * the core through the inbound ports and implements the outbound ones.
   */
  public ArchRule adaptersSeePortsNeverServices() {
    return noClasses().that().resideInAPackage(inside(adapters))
        .should().dependOnClassesThat().resideInAPackage(inside(services))
        .as(ADAPTERS_SEE_PORTS_RULE)
        .because(String.format("adapters (%s) know the core only by its ports (%s), so a "
            + "service can change, or be replaced in a test, without touching an adapter; only "
            + "the wiring (%s) names the services (%s)", inside(adapters),
            String.join(", ", ports()), inside(wiring), inside(services)))
        .allowEmptyShould(true);
  }

  /**
   * {@value #ADAPTERS_RULE}: a class in one adapter never uses another adapter, except the
   * shared adapters, which in turn use no other adapter.
   */
  public ArchRule adaptersDoNotDependOnEachOther() {
    SliceRule rule = slices().matching(base + "." + adapters + ".(*)..")
        .namingSlices("adapter $1").should().notDependOnEachOther();
    if (!sharedAdapters.isEmpty()) {
      rule = rule.ignoreDependency(DescribedPredicate.alwaysTrue(),
          JavaClass.Predicates.resideInAnyPackage(shared()));
    }
    String exception = sharedAdapters.isEmpty() ? ""
        : " (" + String.join(", ", shared()) + " is shared by all)";
    return rule.as(ADAPTERS_RULE)
        .because("each adapter is one technology, replaceable on its own; what two adapters "
            + "both need lives in the core or a shared adapter" + exception)
        .allowEmptyShould(true);
  }

  /**
   * {@value #DAGGER_RULE}: no class outside the wiring uses {@code dagger..},
   * {@code javax.inject..} or {@code jakarta.inject..}.
   */
  public ArchRule onlyTheWiringSeesDagger() {
    return noClasses().that().resideInAPackage(base + "..")
        .and().resideOutsideOfPackage(inside(wiring))
        .should().dependOnClassesThat()
        .resideInAnyPackage("dagger..", "javax.inject..", "jakarta.inject..")
        .as(DAGGER_RULE)
        .because(String.format("the core and adapters carry no DI annotations, so a host can "
            + "wire them by hand; objects are made in @Provides methods in %s", inside(wiring)))
        .allowEmptyShould(true);
  }

  /**
   * {@value #FRAMEWORKS_RULE}: each framework given to {@link #framework} is used only in its
   * home packages. Holds trivially when no framework is given.
   */
  public ArchRule frameworksStayInTheirAdapter() {
    String homes = frameworks.isEmpty() ? "none configured"
        : frameworks.stream().map(Framework::describe).collect(Collectors.joining("; "));
    return classes().that().resideInAPackage(base + "..")
        .should(new FrameworksStayHome())
        .as(FRAMEWORKS_RULE)
        .because("a framework's types are sealed off in the adapter that wraps it, so it can be "
            + "replaced there alone (" + homes + ")")
        .allowEmptyShould(true);
  }

  /** {@value #CYCLES_RULE}: the top-level packages under the base form no cycle. */
  public ArchRule noPackageCycles() {
    return slices().matching(base + ".(*)..").namingSlices("$1").should().beFreeOfCycles()
        .as(CYCLES_RULE)
        .because("layers are a hierarchy: a cycle between top-level packages means neither can "
            + "be understood, tested or replaced without the other")
        .allowEmptyShould(true);
  }

  private String[] ports() {
    return new String[] {inside(inboundPorts), inside(outboundPorts)};
  }

  /** The domain, the ports and the services: everything an adapter plugs into. */
  private String[] core() {
    return Stream.concat(Stream.of(inside(domain), inside(services)), Stream.of(ports()))
        .toArray(String[]::new);
  }

  private String[] shared() {
    return sharedAdapters.stream().map(this::inside).toArray(String[]::new);
  }

  /** ArchUnit identifier of a package under the base, sub-packages included. */
  private String inside(String relativePackage) {
    return base + "." + relativePackage + "..";
  }

  private static String packageName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!PACKAGE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be a dotted package name without wildcards: \"" + name + "\"");
    }
    return name;
  }

  /** A framework's package identifier and the package identifiers it may be used in. */
  private record Framework(String frameworkPackage, List<String> homes) {
    String describe() {
      return frameworkPackage + " only in " + String.join(", ", homes);
    }
  }

  /** Flags each dependency on a confined framework from a class outside its homes. */
  private final class FrameworksStayHome extends ArchCondition<JavaClass> {
    // matchers compiled once: the condition runs for every dependency of every class
    private final List<Confinement> confinements = frameworks.stream()
        .map(f -> new Confinement(f, PackageMatcher.of(f.frameworkPackage()),
            f.homes().stream().map(PackageMatcher::of).collect(Collectors.toList())))
        .collect(Collectors.toList());

    FrameworksStayHome() {
      super("use each confined framework only in its adapter");
    }

    @Override
    public void check(JavaClass origin, ConditionEvents events) {
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String target = dependency.getTargetClass().getPackageName();
        for (Confinement confinement : confinements) {
          if (confinement.framework().matches(target)
              && confinement.homes().stream().noneMatch(h -> h.matches(origin.getPackageName()))) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                + " [" + confinement.rule().describe() + "]"));
          }
        }
      }
    }
  }

  /** A framework with its matchers, ready to test dependencies. */
  private record Confinement(Framework rule, PackageMatcher framework,
      List<PackageMatcher> homes) {}
}
