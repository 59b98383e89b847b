package dev.kos.bus.testing.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The architecture rules every module's build keeps, checked over the module's compiled main classes. Each module
 * has a small test ({@code ArchitectureTest}) that calls {@link #check(Class)} with one of its own classes.
 *
 * <p>The rules are those of ArchUnit's {@code noClasses().that()...because(...)} and {@code slices().should()
 * .beFreeOfCycles()}, written by hand over {@link ClassFile}s because ArchUnit is not available to this build
 * (offline); each rule says why it exists in its {@code because}, which a failure prints.
 */
public final class ArchitectureRules {

  /**
   * Decision cores and the plain types they decide over: {@code ..core..}, {@code ..lifecycle..},
   * {@code ..scaling..} and {@code ..model..} packages (the shared {@code dev.kos.model} included).
   */
  static final Pattern CORE = Pattern.compile("dev\\.kos\\.(model|.*\\.(core|lifecycle|scaling|model))(\\..*)?");

  /** Kafka, Avro (the bus schemas are Avro), and reading or writing files. */
  private static final List<String> IMPURE_PACKAGES = List.of("org.apache.kafka.", "org.apache.avro.",
      "dev.kos.schema.", "java.io.", "java.nio.file.", "java.util.concurrent.locks.");
  /** Threads, timers and processes; plain values such as {@code TimeUnit} or {@code ConcurrentHashMap} are fine. */
  private static final List<String> IMPURE_CLASSES = List.of("java.lang.Thread", "java.lang.ThreadGroup",
      "java.lang.Process", "java.lang.ProcessBuilder", "java.lang.ProcessHandle", "java.lang.Runtime",
      "java.util.Timer", "java.util.TimerTask", "java.util.concurrent.Executor", "java.util.concurrent.ExecutorService",
      "java.util.concurrent.Executors", "java.util.concurrent.ScheduledExecutorService",
      "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
      "java.util.concurrent.ForkJoinPool", "java.util.concurrent.CompletableFuture", "java.util.concurrent.Future",
      "java.util.concurrent.CountDownLatch", "java.util.concurrent.Semaphore");
  /** Reading the wall clock: a core is handed the time (or a {@link java.time.Clock}) by its shell. */
  private static final Pattern WALL_CLOCK = Pattern.compile(
      "java\\.time\\.\\w+#now \\(\\).*|java\\.lang\\.System#(currentTimeMillis|nanoTime) .*"
          + "|java\\.time\\.Clock#system(UTC|DefaultZone) .*");

  /** The broker runtime: the local stack that `kos up` and the tests start, never a production component. */
  private static final List<String> LOCAL_STACK = List.of("dev.kos.bus.embedded.",
      "dev.kos.bus.registry.SchemaRegistryServer", "dev.kos.bus.registry.KafkaSchemaLog");

  private static final Map<String, String> COMPONENTS = Map.of(
      "dev.kos.allocator.", "the allocator",
      "dev.kos.agent.", "the agents",
      "dev.kos.frameworks.", "the frameworks");

  private ArchitectureRules() {
  }

  /** Every rule over the main classes of the module that {@code anyMainClass} belongs to; the failures, if any. */
  public static List<String> check(Class<?> anyMainClass) {
    return check(classesDirectoryOf(anyMainClass));
  }

  /** Every rule over the classes under {@code classesDirectory} (a module's target/classes); the failures. */
  public static List<String> check(Path classesDirectory) {
    List<ClassFile> classes = classesUnder(classesDirectory);
    if (classes.isEmpty()) {
      throw new IllegalStateException("no classes under " + classesDirectory + ": the rules would check nothing");
    }
    List<String> failures = new ArrayList<>();
    failures.addAll(coresArePure().check(classes));
    failures.addAll(coresDependOnlyOnCores().check(classes));
    failures.addAll(componentsStayApart().check(classes));
    failures.addAll(noPackageCycles(classes));
    return failures;
  }

  static Rule coresArePure() {
    return new Rule("decision cores use no Kafka, Avro, file IO, threads, processes or wall clock",
        "a core decides over immutable inputs and the time it is handed, so a table-driven test can state every "
            + "case and replay it exactly; talking to Kafka, disks and processes, and reading the clock, is the "
            + "shell's job",
        c -> CORE.matcher(c.packageName()).matches(),
        c -> Stream.concat(
            c.referencedClasses().stream()
                .filter(r -> IMPURE_PACKAGES.stream().anyMatch(r::startsWith) || IMPURE_CLASSES.contains(r)),
            c.calledMethods().stream().filter(m -> WALL_CLOCK.matcher(m).matches())).toList());
  }

  static Rule coresDependOnlyOnCores() {
    return new Rule("decision cores depend on no edge (Avro mapping) or shell (Kafka loop, process, command)",
        "the dependency points inward: shells and edges use cores and translate for them, so a core can be read, "
            + "tested and changed without the bus; a core that reached out would drag its shell into every test",
        c -> CORE.matcher(c.packageName()).matches(),
        c -> c.referencedClasses().stream()
            .filter(r -> r.startsWith("dev.kos.") && !CORE.matcher(packageOf(r)).matches()).toList());
  }

  static Rule componentsStayApart() {
    return new Rule("allocator, agents and frameworks depend neither on each other nor on the local stack",
        "they are separate processes that meet only on the bus (topics and the shared model), so each can be "
            + "deployed, restarted and scaled alone; the embedded broker and registry server are for `kos up` and "
            + "tests, and would drag kafka_2.13 into every production process",
        c -> COMPONENTS.keySet().stream().anyMatch(c.name()::startsWith),
        c -> {
          String own = COMPONENTS.keySet().stream().filter(c.name()::startsWith).findFirst().orElseThrow();
          return c.referencedClasses().stream()
              .filter(r -> LOCAL_STACK.stream().anyMatch(r::startsWith) || r.startsWith("dev.kos.cli.")
                  || COMPONENTS.keySet().stream().anyMatch(other -> !other.equals(own) && r.startsWith(other)))
              .toList();
        });
  }

  /**
   * Packages of one module that depend on each other in a circle, each circle once with one edge per step ("a.X ->
   * b.Y"), as ArchUnit's slices().beFreeOfCycles() reports them.
   */
  static List<String> noPackageCycles(List<ClassFile> classes) {
    Map<String, Map<String, String>> edges = new TreeMap<>();
    TreeSet<String> packages = new TreeSet<>();
    classes.forEach(c -> packages.add(c.packageName()));
    for (ClassFile c : classes) {
      for (String r : c.referencedClasses()) {
        String to = packageOf(r);
        if (packages.contains(to) && !to.equals(c.packageName())) {
          edges.computeIfAbsent(c.packageName(), k -> new TreeMap<>())
              .putIfAbsent(to, c.topLevelName() + " -> " + r.replaceAll("\\$.*", ""));
        }
      }
    }
    List<String> failures = new ArrayList<>();
    for (List<String> cycle : Cycles.stronglyConnected(packages, p -> edges.getOrDefault(p, Map.of()).keySet())) {
      StringBuilder how = new StringBuilder();
      for (String from : cycle) {
        edges.getOrDefault(from, Map.of()).forEach((to, example) -> {
          if (cycle.contains(to)) {
            how.append("\n      ").append(example);
          }
        });
      }
      failures.add("Rule 'no package cycles in a module' was violated, because each package must be readable "
          + "(and testable) knowing only the packages below it; a circle makes them one tangle: packages "
          + cycle + " depend on each other:" + how);
    }
    return failures;
  }

  static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  static Path classesDirectoryOf(Class<?> anyMainClass) {
    try {
      Path root = Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException(root + " is not a directory of classes");
      }
      return root;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<ClassFile> classesUnder(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      List<ClassFile> classes = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        if (!file.getFileName().toString().equals("module-info.class")) {
          classes.add(ClassFile.parse(Files.readAllBytes(file)));
        }
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One rule: which classes it applies to, what in a class breaks it, and why it exists. */
  record Rule(String description, String because, Predicate<ClassFile> appliesTo,
              java.util.function.Function<ClassFile, List<String>> offences) {

    List<String> check(List<ClassFile> classes) {
      Map<String, TreeSet<String>> byClass = new TreeMap<>();
      for (ClassFile c : classes) {
        if (appliesTo.test(c)) {
          List<String> found = offences.apply(c);
          if (!found.isEmpty()) {
            byClass.computeIfAbsent(c.topLevelName(), k -> new TreeSet<>()).addAll(found);
          }
        }
      }
      if (byClass.isEmpty()) {
        return List.of();
      }
      StringBuilder message = new StringBuilder("Rule '" + description + "' was violated, because " + because + ":");
      byClass.forEach((c, found) -> found.forEach(f -> message.append("\n      ").append(c).append(" -> ").append(f)));
      return List.of(message.toString());
    }
  }
}
