package dev.kos.cli.bench;

import dev.kos.cli.common.UsageProblem;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code kos bench}: the benchmark suite, each benchmark in a JVM of its own on the bench module's classpath. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Run the benchmark suite. Each benchmark runs in a JVM of its own, on the classes of the",
        "bench module, which the kos distribution does not contain: build it once with",
        "  " + BenchLauncher.BUILD_HINT,
        "in the repository (bin/kos-bench does it too). Every run prints its figures and writes",
        "bench/results/<benchmark>-<time>.md and .json (machine, versions, settings, figures);",
        "docs/performance.md explains how to read them. Options after the benchmark's name go to it:",
        "`kos bench placement --help` lists them.",
        "",
        "  kos bench allocator                      JMH benchmarks of the allocator core",
        "  kos bench placement --agents 1000 --tasks 100000",
        "  kos bench placement --agents 10000 --tasks 1000000 --frameworks 100",
        "  kos bench placement --rate 1000 --tasks 30000",
        "  kos bench apps-scale --instances 100,1000",
        "  kos bench analytics --runs 3           the Spark rollup on kos (also needs analytics-job built)",
        "  kos bench api                            API list endpoints and event stream, 10,000 tasks"},
    subcommands = {BenchCommand.Allocator.class, BenchCommand.Placement.class, BenchCommand.AppsScale.class,
        BenchCommand.Analytics.class, BenchCommand.Api.class})
public final class BenchCommand {

  @Option(names = "--bench-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "The repository's bench directory (default: found from where kos runs)")
  Path benchDir;

  @Option(names = "--java-opts", paramLabel = "OPTIONS", scope = ScopeType.INHERIT,
      description = "Options of the benchmark's JVM, space separated (default: the benchmark's own)")
  String javaOpts;

  Path benchDir() {
    if (benchDir != null) {
      return benchDir;
    }
    try {
      Path here = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return BenchLauncher.findBenchDir(here).orElseThrow(() -> new UsageProblem(
          "cannot find the bench module above " + here + "; run kos from the repository or pass --bench-dir"));
    } catch (URISyntaxException e) {
      throw new UsageProblem("cannot tell where kos runs from (" + e.getMessage() + "); pass --bench-dir");
    }
  }

  List<String> javaOptions(String defaults) {
    String options = javaOpts != null ? javaOpts : defaults;
    return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
  }

  /** One benchmark: its main class, its JVM's default options, and the arguments it gets when given none. */
  abstract static class Forked implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Unmatched
    List<String> args = new ArrayList<>();

    abstract String mainClass();

    abstract String defaultJavaOptions();

    List<String> defaultArgs() {
      return List.of();
    }

    @Spec
    CommandSpec spec;

    /** The benchmark's own option asking for its help. */
    String helpOption() {
      return "--help";
    }

    @Override
    public Integer call() throws Exception {
      if (args.contains("--help") || args.contains("-h")) {
        return help();
      }
      return BenchLauncher.run(bench.benchDir(), bench.javaOptions(defaultJavaOptions()), mainClass(),
          args.isEmpty() ? defaultArgs() : args);
    }

    /**
     * This command's usage, then the benchmark's own options from the benchmark itself when it is built. Help
     * exits 0 whether or not it is: the benchmark's options are read from its own JVM, which needs the bench
     * module built, and saying how to build it is the help a new user needs then.
     */
    private int help() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      spec.commandLine().usage(out);
      out.println();
      out.flush();
      try {
        BenchLauncher.run(bench.benchDir(), bench.javaOptions(defaultJavaOptions()), mainClass(),
            List.of(helpOption()));
      } catch (UsageProblem notBuilt) {
        out.println("The benchmark's own options are listed once it is built: " + notBuilt.getMessage());
      }
      return 0;
    }
  }

  @Command(name = "allocator", description = {
      "JMH benchmarks of the allocator core: placements/s, one allocation round, heap per agent.",
      "Arguments are JMH's (default: -f 3: three forks, each a run of its own, the figure their median; "
          + "warm-up and measured iterations as each benchmark sets them); e.g. -p agents=1000 -p tasks=100000."})
  static final class Allocator extends Forked {
    @Override
    String mainClass() {
      return "dev.kos.bench.allocator.AllocatorBenchmarks";
    }

    @Override
    String defaultJavaOptions() {
      return "";
    }

    @Override
    List<String> defaultArgs() {
      return List.of("-f", "3");
    }

    @Override
    String helpOption() {
      return "-h";
    }
  }

  @Command(name = "placement", description = {
      "Tasks from command to RUNNING through the embedded broker, the allocator, a simulated fleet",
      "and bench frameworks on the SDK. `kos bench placement --help` lists its options."})
  static final class Placement extends Forked {
    @Override
    String mainClass() {
      return "dev.kos.bench.placement.PlacementBench";
    }

    @Override
    String defaultJavaOptions() {
      return "-Xmx4g";
    }
  }

  @Command(name = "apps-scale", description = {
      "From `kos app scale ID N` to N instances RUNNING, with the apps framework on simulated agents.",
      "`kos bench apps-scale --help` lists its options."})
  static final class AppsScale extends Forked {
    @Override
    String mainClass() {
      return "dev.kos.bench.placement.AppsScaleBench";
    }

    @Override
    String defaultJavaOptions() {
      return "-Xmx2g";
    }
  }

  @Command(name = "analytics", description = {
      "The Spark rollup on kos, on a real broker, Cassandra node and local agents: records/s through the",
      "micro-batch at 1 and 2 executors, launch overhead, day and hour query p50/p99; every run checks the",
      "sums in Cassandra. Needs analytics-job built too: ./mvnw -q -B -DskipTests -pl analytics-job,bench -am package.",
      "`kos bench analytics --help` lists its options."})
  static final class Analytics extends Forked {
    @Override
    String mainClass() {
      return "dev.kos.bench.analytics.AnalyticsBench";
    }

    @Override
    String defaultJavaOptions() {
      return "-Xmx1g";
    }
  }

  @Command(name = "api", description = {
      "The API server with 10,000 tasks: list GETs, event-stream delay.",
      "GET latency p50/p99 of its list endpoints, and the delay of a status event",
      "from kos.status to an event-stream client (goal p99 <= 200 ms); 3 runs by",
      "default. `kos bench api --help` lists its options."})
  static final class Api extends Forked {
    @Override
    String mainClass() {
      return "dev.kos.bench.api.ApiBench";
    }

    @Override
    String defaultJavaOptions() {
      return "-Xmx2g";
    }
  }
}
