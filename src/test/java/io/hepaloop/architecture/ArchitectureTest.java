package io.hepaloop.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verifies that the production packages depend on each other only as ../shared/DESIGN.md draws
 * them: arrows point from user to used, and the few arrows that would tangle the picture (the
 * simulator reaching into the controller, configuration reaching into the device link, production
 * code using benchmarks) never appear.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hepaloop");
  }

  private static String pkg(String name) {
    return "io.hepaloop." + name + "..";
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.hepaloop.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void coreAndTimeUseNoOtherHepaLoopPackage() {
    noClasses()
        .that()
        .resideInAnyPackage(pkg("core"), pkg("time"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("core", "time"))
        .check(production);
  }

  @Test
  void busUsesNothingButCore() {
    noClasses()
        .that()
        .resideInAPackage(pkg("bus"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("bus", "core"))
        .check(production);
  }

  /**
   * The run package holds the run identity and the recipe executor. The executor steers the plant
   * only through the control door's command records ({@code ControlCommand}, {@code
   * CommandResult}), never through the loops themselves, so that every recipe action is validated
   * like an operator's; it reads recipes (configuration) and runs on a Clock. The run identity
   * classes stay plain Java that use nothing.
   */
  @Test
  void runsUseRecipesTimeAndOnlyTheControlDoorsCommands() {
    noClasses()
        .that()
        .resideInAPackage(pkg("run"))
        .should()
        .dependOnClassesThat(
            anyHepaLoopPackageBut("run", "recipe", "profile", "core", "time")
                .and(
                    DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching(
                            "io\\.hepaloop\\.control\\.(ControlCommand(\\$.*)?|CommandResult)"))))
        .check(production);
    noClasses()
        .that()
        .resideInAPackage(pkg("run"))
        .and()
        .haveSimpleNameStartingWith("Run")
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("run"))
        .check(production);
  }

  /** Recipes are configuration: read and checked against a profile, like the profile itself. */
  @Test
  void recipesArePlainConfigurationThatUsesOnlyProfileAndCore() {
    noClasses()
        .that()
        .resideInAPackage(pkg("recipe"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("recipe", "profile", "core"))
        .check(production);
  }

  @Test
  void configurationIsPlainDataThatUsesNoRuntimePart() {
    noClasses()
        .that()
        .resideInAnyPackage(pkg("profile"), pkg("plant"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("device"),
            pkg("control"),
            pkg("sim"),
            pkg("telemetry"),
            pkg("app"),
            pkg("api"),
            pkg("cli"),
            pkg("console"),
            pkg("bench"),
            pkg("bus"))
        .check(production);
  }

  @Test
  void theSimulatorIsHardwareAndKnowsNothingOfTheController() {
    noClasses()
        .that()
        .resideInAPackage(pkg("sim"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("sim", "core", "profile", "time"))
        .check(production);
  }

  @Test
  void theDeviceLinkUsesOnlyCoreProfileBusAndTime() {
    noClasses()
        .that()
        .resideInAPackage(pkg("device"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("device", "core", "profile", "bus", "time"))
        .check(production);
  }

  @Test
  void theAlarmEngineUsesOnlyCoreProfileBusAndTimeAndNoVertx() {
    noClasses()
        .that()
        .resideInAPackage(pkg("alarm"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("alarm", "core", "profile", "bus", "time"))
        .check(production);
    // The engine runs beside the control loop on the control clock: plain Java, no event loop.
    // (Notifications, which use Vert.x, live apart in io.hepaloop.notify.)
    noClasses()
        .that()
        .resideInAPackage(pkg("alarm"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vertx..")
        .check(production);
  }

  @Test
  void controlNeverReachesApiTelemetryOrSimulator() {
    noClasses()
        .that()
        .resideInAPackage(pkg("control"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("api"),
            pkg("telemetry"),
            pkg("sim"),
            pkg("app"),
            pkg("cli"),
            pkg("console"),
            pkg("bench"))
        .check(production);
  }

  @Test
  void telemetryObservesAndNeverSteers() {
    noClasses()
        .that()
        .resideInAPackage(pkg("telemetry"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("sim"), pkg("app"), pkg("api"), pkg("cli"), pkg("console"), pkg("bench"))
        .check(production);
    // It reads what the loops publish (snapshots, timing), never the parts that decide.
    noClasses()
        .that()
        .resideInAPackage(pkg("telemetry"))
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage(pkg("control"))
                .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameStartingWith("Loop"))))
        .check(production);
  }

  @Test
  void productionCodeNeverUsesBenchmarksAndNothingUsesTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackages(pkg("bench"), pkg("cli"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(pkg("bench"))
        .check(production);
    noClasses()
        .that()
        .resideOutsideOfPackage(pkg("cli"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(pkg("cli"))
        .check(production);
  }

  @Test
  void theStoreUsesNothingButCoreAndTime() {
    noClasses()
        .that()
        .resideInAPackage(pkg("store"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("store", "core", "time"))
        .check(production);
  }

  @Test
  void usersUseOnlyStoreCoreAndTime() {
    noClasses()
        .that()
        .resideInAPackage(pkg("users"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("users", "store", "core", "time"))
        .check(production);
  }

  @Test
  void plantStateUsesOnlyStoreAlarmCoreAndTime() {
    // Loop settings are plain numbers there; the control package is mapped by the application.
    noClasses()
        .that()
        .resideInAPackage(pkg("plantstate"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("plantstate", "store", "alarm", "core", "time"))
        .check(production);
  }

  @Test
  void theAuditTrailUsesOnlyStoreCoreAndTime() {
    // Not users: the caller checks a re-entered password and passes the signature in.
    noClasses()
        .that()
        .resideInAPackage(pkg("audit"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("audit", "store", "core", "time"))
        .check(production);
  }

  /**
   * Lab results are plain Java over the store: units (tech.units) and time, no Vert.x; who writes
   * them to InfluxDB and who audits them is the caller's (the app and the API).
   */
  @Test
  void labResultsUseOnlyStoreCoreAndTimeAndNoVertx() {
    noClasses()
        .that()
        .resideInAPackage(pkg("lab"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("lab", "store", "core", "time"))
        .check(production);
    noClasses()
        .that()
        .resideInAPackage(pkg("lab"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vertx..")
        .check(production);
  }

  @Test
  void notificationsUseNoOtherHepaLoopPackage() {
    noClasses()
        .that()
        .resideInAPackage(pkg("notify"))
        .should()
        .dependOnClassesThat(anyHepaLoopPackageBut("notify", "core", "time"))
        .check(production);
  }

  /**
   * The API sees the plant through its own interfaces (PlantAccess, AlarmAccess) that the app
   * implements; it reads control, alarm and device records (and the alarm journal's history) but
   * never reaches the app that assembles them, the simulator, telemetry or the store (the run
   * report reads those through {@code io.hepaloop.report}, which the API only asks for a report).
   */
  @Test
  void theApiUsesRecordsOfControlAlarmsAndDevicesButNotTheApp() {
    noClasses()
        .that()
        .resideInAPackage(pkg("api"))
        .should()
        .dependOnClassesThat(
            anyHepaLoopPackageBut(
                "api",
                "control",
                "alarm",
                "device",
                "bus",
                "core",
                "profile",
                "users",
                "time",
                "audit",
                "plantstate",
                "report",
                "lab"))
        .check(production);
  }

  /**
   * The run report reads: the database through the store, telemetry through the InfluxDB client and
   * schema, device profiles for the loops' bands. It steers nothing and knows neither the app nor
   * the API that serve it.
   */
  @Test
  void theRunReportReadsTheStoreTelemetryAndProfilesOnly() {
    noClasses()
        .that()
        .resideInAPackage(pkg("report"))
        .should()
        .dependOnClassesThat(
            anyHepaLoopPackageBut("report", "store", "telemetry", "profile", "core", "time"))
        .check(production);
  }

  /**
   * Classes of HepaLoop outside the given packages: a package added later is forbidden too until a
   * rule allows it.
   */
  private static DescribedPredicate<JavaClass> anyHepaLoopPackageBut(String... allowed) {
    String[] packages =
        java.util.Arrays.stream(allowed).map(ArchitectureTest::pkg).toArray(String[]::new);
    return JavaClass.Predicates.resideInAPackage("io.hepaloop..")
        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(packages)));
  }
}
