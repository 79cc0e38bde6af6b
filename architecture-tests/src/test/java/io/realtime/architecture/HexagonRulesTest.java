package io.realtime.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.realtime.architecture.fixture.bad.adapter.web.WebCallsX;
import io.realtime.architecture.fixture.bad.adapter.x.Configured;
import io.realtime.architecture.fixture.bad.adapter.x.XCallsY;
import io.realtime.architecture.fixture.bad.adapter.y.CallsService;
import io.realtime.architecture.fixture.bad.adapter.y.InjectedAdapter;
import io.realtime.architecture.fixture.bad.adapter.y.UsesServer;
import io.realtime.architecture.fixture.bad.app.Config;
import io.realtime.architecture.fixture.bad.app.StartsServer;
import io.realtime.architecture.fixture.bad.core.CallsAdapter;
import io.realtime.architecture.fixture.bad.core.UsesFramework;
import io.realtime.architecture.fixture.bad.domain.FrameworkAnnotated;
import io.realtime.architecture.fixture.bad.domain.Hinted;
import io.realtime.architecture.fixture.bad.domain.UsesLibrary;
import io.realtime.architecture.fixture.bad.port.in.AnnotatedUseCase;
import io.realtime.architecture.fixture.bad.port.in.ReturnsService;
import io.realtime.architecture.fixture.bad.port.out.LeakyStore;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on the fixture hexagon {@code fixture.bad} for exactly the classes built to
 * break it, names itself in the report, and passes on {@code fixture.clean}.
 */
class HexagonRulesTest {
  private static final String FIXTURE = "io.realtime.architecture.fixture";
  private static final String BAD = FIXTURE + ".bad";
  private static final String CLEAN = FIXTURE + ".clean";
  private static final String CORE_ONLY = FIXTURE + ".coreonly";
  private static final String TRANSPORT = FIXTURE + ".framework.transport..";

  private static JavaClasses bad;
  private static JavaClasses clean;

  @BeforeAll
  static void importFixtures() {
    bad = new ClassFileImporter().importPackages(BAD);
    clean = new ClassFileImporter().importPackages(CLEAN);
  }

  /** The realtime layout over a fixture base, with adapter x owning the transport framework. */
  private static HexagonRules rulesFor(String basePackage) {
    return HexagonRules.forBasePackage(basePackage)
        .domain("domain").inboundPorts("port.in").outboundPorts("port.out").services("core")
        .adapters("adapter").sharedAdapters("adapter.web").wiring("app")
        .framework(TRANSPORT, "adapter.x");
  }

  @Test
  void domainRuleFlagsLibrariesAndFrameworkAnnotationsOfAnyRetention() {
    assertBreaks(rulesFor(BAD).domainDependsOnJavaOnly(), HexagonRules.DOMAIN_RULE,
        UsesLibrary.class, FrameworkAnnotated.class, Hinted.class);
  }

  @Test
  void portsRuleFlagsLibrariesFrameworkAnnotationsAndServices() {
    assertBreaks(rulesFor(BAD).portsDependOnJavaAndDomainOnly(), HexagonRules.PORTS_RULE,
        AnnotatedUseCase.class, LeakyStore.class, ReturnsService.class);
  }

  @Test
  void servicesRuleFlagsFrameworkAnnotationsAndAdapters() {
    assertBreaks(rulesFor(BAD).servicesDependOnJavaDomainAndPortsOnly(),
        HexagonRules.SERVICES_RULE, UsesFramework.class, CallsAdapter.class);
  }

  @Test
  void adaptersSeePortsRuleFlagsAnAdapterCallingAService() {
    assertBreaks(rulesFor(BAD).adaptersSeePortsNeverServices(),
        HexagonRules.ADAPTERS_SEE_PORTS_RULE, CallsService.class);
  }

  @Test
  void coreRuleFlagsAServiceUsingAnAdapter() {
    assertBreaks(rulesFor(BAD).coreDoesNotDependOnAdaptersOrWiring(), HexagonRules.CORE_RULE,
        CallsAdapter.class);
  }

  @Test
  void adaptersRuleFlagsAdapterToAdapterAndSharedToSpecific() {
    assertBreaks(rulesFor(BAD).adaptersDoNotDependOnEachOther(), HexagonRules.ADAPTERS_RULE,
        XCallsY.class, WebCallsX.class);
  }

  @Test
  void daggerRuleFlagsInjectOutsideTheWiring() {
    assertBreaks(rulesFor(BAD).onlyTheWiringSeesDagger(), HexagonRules.DAGGER_RULE,
        InjectedAdapter.class);
  }

  @Test
  void frameworksRuleFlagsTheFrameworkOutsideItsAdapterEvenInTheWiring() {
    assertBreaks(rulesFor(BAD).frameworksStayInTheirAdapter(), HexagonRules.FRAMEWORKS_RULE,
        UsesServer.class, StartsServer.class);
  }

  @Test
  void frameworkMayHaveSeveralHomes() {
    HexagonRules rules = HexagonRules.forBasePackage(BAD)
        .framework(TRANSPORT, "adapter.x", "adapter.y");
    assertBreaks(rules.frameworksStayInTheirAdapter(), HexagonRules.FRAMEWORKS_RULE,
        StartsServer.class);
  }

  @Test
  void cyclesRuleFlagsAnAdapterThatUsesTheWiringThatUsesIt() {
    // and the adapter calling a service that calls an adapter: a cycle as well as two breaches
    assertBreaks(rulesFor(BAD).noPackageCycles(), HexagonRules.CYCLES_RULE,
        Configured.class, Config.class, CallsService.class, CallsAdapter.class);
  }

  @Test
  void checkReportsEveryBrokenRuleInOneError() {
    AssertionError error = assertThrows(AssertionError.class, () -> rulesFor(BAD).check(bad));
    List<ArchRule> all = rulesFor(BAD).all();
    assertTrue(error.getMessage().contains(all.size() + " of " + all.size() + " rules broken"),
        error::getMessage);
    for (String name : ruleNames()) {
      assertTrue(error.getMessage().contains("Rule '" + name + ", because "),
          () -> name + " missing from:\n" + error.getMessage());
    }
  }

  @Test
  void cleanHexagonKeepsEveryRule() {
    rulesFor(CLEAN).check(clean);
  }

  @Test
  void emptyLayersOtherThanTheCoreDoNotFail() {
    rulesFor(CORE_ONLY).check(new ClassFileImporter().importPackages(CORE_ONLY));
  }

  @Test
  void mistypedDomainFailsInsteadOfPassingSilently() {
    AssertionError error = assertThrows(AssertionError.class,
        () -> rulesFor(CLEAN).domain("domian").check(clean));
    assertTrue(error.getMessage().contains("Rule '" + HexagonRules.DOMAIN_RULE), error::getMessage);
    assertTrue(error.getMessage().contains("failed to check any classes"), error::getMessage);
  }

  @Test
  void withoutSharedAdaptersTheWebAdapterIsJustAnotherAdapter() {
    ArchRule rule = rulesFor(CLEAN).sharedAdapters().adaptersDoNotDependOnEachOther();
    AssertionError error = assertThrows(AssertionError.class, () -> rule.check(clean));
    assertTrue(error.getMessage().contains("Rule '" + HexagonRules.ADAPTERS_RULE),
        error::getMessage);
  }

  @Test
  void everyRuleHasItsOwnName() {
    List<String> descriptions = rulesFor(CLEAN).all().stream().map(ArchRule::getDescription)
        .collect(Collectors.toList());
    List<String> names = ruleNames();
    assertEquals(names.size(), descriptions.size(), descriptions::toString);
    for (int i = 0; i < names.size(); i++) {
      assertTrue(descriptions.get(i).startsWith(names.get(i) + ", because "),
          descriptions.get(i));
    }
  }

  @Test
  void defaultsAreTheRealtimeLayout() {
    HexagonRules defaults = HexagonRules.forBasePackage(BAD).sharedAdapters("adapter.web")
        .framework(TRANSPORT, "adapter.x");
    assertEquals(descriptions(rulesFor(BAD)), descriptions(defaults));
  }

  @Test
  void packageNamesAreRelativeAndPlain() {
    assertThrows(IllegalArgumentException.class, () -> HexagonRules.forBasePackage("io.x.."));
    assertThrows(IllegalArgumentException.class,
        () -> HexagonRules.forBasePackage("io.x").domain(".domain"));
    assertThrows(IllegalArgumentException.class,
        () -> HexagonRules.forBasePackage("io.x").sharedAdapters("adapter.*"));
  }

  /** Names in the order of {@link HexagonRules#all()}. */
  private static List<String> ruleNames() {
    return List.of(HexagonRules.DOMAIN_RULE, HexagonRules.PORTS_RULE, HexagonRules.SERVICES_RULE,
        HexagonRules.CORE_RULE, HexagonRules.ADAPTERS_SEE_PORTS_RULE, HexagonRules.ADAPTERS_RULE,
        HexagonRules.DAGGER_RULE, HexagonRules.FRAMEWORKS_RULE, HexagonRules.CYCLES_RULE);
  }

  private static List<String> descriptions(HexagonRules rules) {
    return rules.all().stream().map(ArchRule::getDescription).collect(Collectors.toList());
  }

  /**
   * {@code rule} fails on the bad fixture with a report naming it, every offender appears in
   * the report, and every violation involves an offender (so the rule flags no innocent class).
   */
  private static void assertBreaks(ArchRule rule, String name, Class<?>... offenders) {
    AssertionError error = assertThrows(AssertionError.class, () -> rule.check(bad));
    assertTrue(error.getMessage().contains("Rule '" + name + ", because "), error::getMessage);
    List<String> details = rule.evaluate(bad).getFailureReport().getDetails();
    for (Class<?> offender : offenders) {
      assertTrue(details.stream().anyMatch(d -> d.contains(offender.getName())),
          () -> offender.getName() + " not flagged by " + name + ":\n" + error.getMessage());
    }
    for (String detail : details) {
      assertTrue(Stream.of(offenders).anyMatch(o -> detail.contains(o.getName())),
          () -> "unexpected violation of " + name + ":\n" + detail);
    }
  }
}
