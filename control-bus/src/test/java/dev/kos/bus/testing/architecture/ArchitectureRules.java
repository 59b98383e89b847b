package dev.kos.bus.testing.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The architecture rules every module's build keeps, checked with ArchUnit over the module's compiled main classes.
 * Each module has a small test ({@code ArchitectureTest}) that calls {@link #check(Class)} with one of its own
 * classes and fails with the reports it returns. Each rule says why it exists in its {@code because}, which a
 * failure prints.
 */
public final class ArchitectureRules {

  /**
   * Decision cores and the plain types they decide over: {@code ..core..}, {@code ..lifecycle..},
   * {@code ..scaling..} and {@code ..model..} packages (the shared {@code dev.kos.model} included).
   */
  static final Pattern CORE = Pattern.compile("dev\\.kos\\.(model|.*\\.(core|lifecycle|scaling|model))(\\..*)?");

  /** Kafka, Avro (the bus schemas are Avro), and reading or writing files. */
  private static final List<String> IMPURE_PACKAGES = List.of("org.apache.kafka..", "org.apache.avro..",
      "dev.kos.schema..", "java.io..", "java.nio.file..", "java.util.concurrent.locks..");
  /** Threads, timers and processes; plain values such as {@code TimeUnit} or {@code ConcurrentHashMap} are fine. */
  private static final Set<String> IMPURE_CLASSES = Set.of("java.lang.Thread", "java.lang.ThreadGroup",
      "java.lang.Process", "java.lang.ProcessBuilder", "java.lang.ProcessHandle", "java.lang.Runtime",
      "java.util.Timer", "java.util.TimerTask", "java.util.concurrent.Executor", "java.util.concurrent.ExecutorService",
      "java.util.concurrent.Executors", "java.util.concurrent.ScheduledExecutorService",
      "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
      "java.util.concurrent.ForkJoinPool", "java.util.concurrent.CompletableFuture", "java.util.concurrent.Future",
      "java.util.concurrent.CountDownLatch", "java.util.concurrent.Semaphore");

  /** The broker runtime: the local stack that `kos up` and the tests start, never a production component. */
  private static final DescribedPredicate<JavaClass> LOCAL_STACK = resideInAnyPackage("dev.kos.bus.embedded..",
      "dev.kos.analytics.cassandra..", "dev.kos.local..")
      .or(nameMatching("dev\\.kos\\.bus\\.registry\\.(SchemaRegistryServer|KafkaSchemaLog)(\\$.*)?"))
      .as("the local stack (dev.kos.bus.embedded.., dev.kos.analytics.cassandra.., dev.kos.local.., "
          + "SchemaRegistryServer, KafkaSchemaLog)");

  /** The components, by package: separate processes that meet only on the bus. */
  private static final Map<String, String> COMPONENTS = Map.of(
      "dev.kos.allocator..", "the allocator",
      "dev.kos.agent..", "the agents",
      "dev.kos.frameworks..", "the frameworks");

  private static final DescribedPredicate<JavaClass> CORES =
      describe("are in a core package (..core.., ..lifecycle.., ..scaling.., ..model..)",
          c -> CORE.matcher(c.getPackageName()).matches());

  private ArchitectureRules() {
  }

  /** Every rule over the main classes of the module that {@code anyMainClass} belongs to; the failures, if any. */
  public static List<String> check(Class<?> anyMainClass) {
    return check(mainClassesOf(anyMainClass));
  }

  /** Every rule over {@code classes}; one report per broken rule, naming the rule, why it exists and each offence. */
  public static List<String> check(JavaClasses classes) {
    if (classes.isEmpty()) {
      throw new IllegalStateException("no classes imported: the rules would check nothing");
    }
    List<String> failures = new ArrayList<>();
    for (ArchRule rule : rules()) {
      EvaluationResult result = rule.evaluate(classes);
      if (result.hasViolation()) {
        failures.add(result.getFailureReport().toString());
      }
    }
    return failures;
  }

  /** The rules, in the order a failure lists them. */
  public static List<ArchRule> rules() {
    return List.of(coresArePure(), coresDependOnlyOnCores(), componentsStayApart(), noPackageCycles());
  }

  /**
   * The main classes of the module that {@code anyMainClass} belongs to: only its own code location (the module's
   * target/classes or jar), never its tests or its dependencies.
   */
  public static JavaClasses mainClassesOf(Class<?> anyMainClass) {
    var codeSource = anyMainClass.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new IllegalStateException(anyMainClass + " has no code location to import the module's classes from");
    }
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Set.of(Location.of(codeSource.getLocation())));
  }

  static ArchRule coresArePure() {
    // Modules without a core (control-bus, local, cli, ...) pass; an empty import is refused by check and by the
    // cycle rule, which keeps ArchUnit's default allowEmptyShould(false).
    return noClasses().that(CORES)
        .should().dependOnClassesThat(resideInAnyPackage(IMPURE_PACKAGES.toArray(String[]::new))
            .or(describe("are threads, timers, executors, futures or processes",
                (JavaClass c) -> IMPURE_CLASSES.contains(c.getName()))))
        .orShould().accessTargetWhere(readsTheWallClock())
        .allowEmptyShould(true)
        .as("decision cores use no Kafka, Avro, file IO, threads, processes or wall clock")
        .because("a core decides over immutable inputs and the time it is handed, so a table-driven test can state "
            + "every case and replay it exactly; talking to Kafka, disks and processes, and reading the clock, is "
            + "the shell's job");
  }

  static ArchRule coresDependOnlyOnCores() {
    return noClasses().that(CORES)
        .should().dependOnClassesThat(resideInAPackage("dev.kos..").and(not(CORES)))
        .allowEmptyShould(true)
        .as("decision cores depend on no edge (Avro mapping) or shell (Kafka loop, process, command)")
        .because("the dependency points inward: shells and edges use cores and translate for them, so a core can be "
            + "read, tested and changed without the bus; a core that reached out would drag its shell into every "
            + "test");
  }

  static ArchRule componentsStayApart() {
    List<ArchRule> perComponent = new ArrayList<>();
    COMPONENTS.keySet().stream().sorted().forEach(own -> perComponent.add(noClasses()
        .that().resideInAPackage(own)
        .should().dependOnClassesThat(resideInAnyPackage(COMPONENTS.keySet().stream()
                .filter(other -> !other.equals(own)).toArray(String[]::new))
            .or(resideInAPackage("dev.kos.cli.."))
            .or(LOCAL_STACK))
        .allowEmptyShould(true)));
    return CompositeArchRule.of(perComponent)
        .as("allocator, agents and frameworks depend neither on each other nor on the local stack")
        .because("they are separate processes that meet only on the bus (topics and the shared model), so each can "
            + "be deployed, restarted and scaled alone; the embedded broker and registry server are for `kos up` and "
            + "tests, and would drag kafka_2.13 into every production process");
  }

  /** Packages of one module that depend on each other in a circle; each package is a slice of its own. */
  static ArchRule noPackageCycles() {
    return slices().matching("dev.kos.(**)").should().beFreeOfCycles()
        .as("no package cycles in a module")
        .because("each package must be readable (and testable) knowing only the packages below it; a circle makes "
            + "them one tangle");
  }

  /**
   * Reading the wall clock, by a call or a method reference: {@code java.time.*.now()} (not {@code now(clock)}),
   * {@code System.currentTimeMillis()}/{@code nanoTime()} and {@code Clock.systemUTC()}/{@code systemDefaultZone()}.
   * A core is handed the time (or a {@link java.time.Clock}) by its shell.
   */
  static DescribedPredicate<JavaAccess<?>> readsTheWallClock() {
    return describe("reads the wall clock (java.time.*.now(), System.currentTimeMillis()/nanoTime(), "
        + "Clock.systemUTC()/systemDefaultZone())", access -> {
          if (!(access.getTarget() instanceof CodeUnitAccessTarget target)) {
            return false;
          }
          String owner = target.getOwner().getName();
          String name = target.getName();
          return owner.matches("java\\.time\\.\\w+") && name.equals("now") && target.getRawParameterTypes().isEmpty()
              || owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
              || owner.equals("java.time.Clock") && (name.equals("systemUTC") || name.equals("systemDefaultZone"));
        });
  }
}
