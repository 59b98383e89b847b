package dev.kos.cli.analytics;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.KosContext;
import dev.kos.cli.common.KosHome;
import dev.kos.cli.common.UsageProblem;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kos analytics run}: forks the Spark rollup job (analytics-job's
 * {@code kos-analytics-job.jar} + {@code lib/*}) in a JVM of its own, whose classpath (Spark, Scala,
 * the connector's shaded Cassandra driver) never meets this one's, and streams its output.
 * The exit code is the job's (docs/decisions/0008-spark-job-classpath.md).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Roll kos.logs and kos.metrics up into Cassandra with the Spark job.",
        "Without --follow it stops once caught up with the topics; running it again adds nothing."})
public final class AnalyticsRunCommand implements Callable<Integer> {

  static final String MAIN_CLASS = "dev.kos.analytics.job.LaunchMain";
  static final String JOB_JAR = "kos-analytics-job.jar";

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  AnalyticsOptions store;

  @Option(names = "--analytics-dir", paramLabel = "DIR",
      description = "Where the job keeps its Spark checkpoint (default: $KOS_HOME/analytics)")
  Path analyticsDir;

  @Option(names = "--spark-master", paramLabel = "MASTER", defaultValue = "local[2]",
      description = "local[N] runs in the job's JVM; spark://, yarn, k8s:// submit through $SPARK_HOME (default: ${DEFAULT-VALUE})")
  String sparkMaster;

  @Option(names = "--follow", description = "Keep rolling up new records until Ctrl-C")
  boolean follow;

  @FromEnvironment
  @Option(names = "--analytics-job", paramLabel = "DIR",
      description = "Directory holding kos-analytics-job.jar, lib/ and jvm.options (env KOS_ANALYTICS_JOB; "
          + "default: analytics-job/target of this kos checkout)")
  Path jobDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (store.contactPoints() == null || store.contactPoints().isBlank()) {
      throw new UsageProblem("no Cassandra to write rollups to: run `kos up --analytics` in another shell, "
          + "or pass --cassandra HOST:PORT,... (or set KOS_CASSANDRA)");
    }
    Process job = new ProcessBuilder(command(builtJob(jobDir != null ? jobDir : besideThisModule()))).start();
    Thread stopJob = new Thread(job::destroy, "kos-analytics-stop");
    Runtime.getRuntime().addShutdownHook(stopJob);
    Thread out = copier(job.getInputStream(), spec.commandLine().getOut(), "kos-analytics-out");
    Thread err = copier(job.getErrorStream(), spec.commandLine().getErr(), "kos-analytics-err");
    int exit = job.waitFor();
    out.join();
    err.join();
    Runtime.getRuntime().removeShutdownHook(stopJob);
    return exit;
  }

  List<String> command(Path dir) {
    Path dataDir = analyticsDir != null ? analyticsDir : home().dir().resolve("analytics");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The --add-opens Spark needs on Java 17, as the job's build wrote them.
    command.add("@" + dir.resolve("jvm.options"));
    command.add("-cp");
    command.add(dir.resolve(JOB_JAR) + File.pathSeparator + dir.resolve("lib").resolve("*"));
    command.add(MAIN_CLASS);
    command.addAll(List.of("--bootstrap-server", bus.bootstrapServers(), "--topic-prefix", bus.catalog().prefix(),
        "--cassandra", store.contactPoints(), "--keyspace", store.keyspace(), "--data-dir", dataDir.toAbsolutePath().toString(),
        "--spark-master", sparkMaster));
    if (follow) {
      command.add("--follow");
    }
    bus.clientConfigFile().ifPresent(file -> command.addAll(List.of("--client-config",
        file.toAbsolutePath().toString())));
    return command;
  }

  private KosHome home() {
    return spec.root().userObject() instanceof KosContext kos ? kos.home() : KosHome.from(System.getenv());
  }

  /** The directory if it holds the built job, else a problem that says how to build it. */
  static Path builtJob(Path dir) {
    if (!Files.isRegularFile(dir.resolve(JOB_JAR)) || !Files.isDirectory(dir.resolve("lib"))) {
      throw new UsageProblem("the analytics job is not built in " + dir + ": run "
          + "`./mvnw -q -B -DskipTests -pl analytics-job -am package` in the kos repository"
          + " (or pass --analytics-job DIR holding " + JOB_JAR + " and lib/)");
    }
    return dir;
  }

  /** cli/target/kos-cli.jar (or cli/target/classes) -> analytics-job/target. */
  private static Path besideThisModule() {
    try {
      Path location = Path.of(AnalyticsRunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.getParent().getParent().resolveSibling("analytics-job").resolve("target");
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the kos CLI's jar", e);
    }
  }

  private static Thread copier(InputStream from, PrintWriter to, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
        lines.lines().forEach(to::println);
        to.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
