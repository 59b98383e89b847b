package dev.kos.cli.analytics;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.KosContext;
import dev.kos.cli.common.KosHome;
import dev.kos.cli.common.UsageProblem;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.agent.exec.TaskUser;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.exec.WorkDirModes;
import dev.kos.bus.BusSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.schema.JobSpec;
import dev.kos.schema.RunJob;
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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kos analytics run}: by default submits the Spark rollup job to the cluster as a kos job (the jobs
 * framework) whose task runs the driver, with {@code spark.master=kos://<bootstrap>} so that its executors are kos
 * tasks of the analytics role; the job waits, saying why, while the cluster is above that role's threshold
 * (docs/decisions/0019-spark-on-kos.md). With {@code --local} (or an explicit {@code --spark-master}) it forks the
 * job (analytics-job's {@code kos-analytics-job.jar} + {@code lib/*}) in a JVM of its own on this machine, whose
 * classpath (Spark, Scala, the connector's shaded Cassandra driver) never meets this one's, and streams its output;
 * the exit code is then the job's (docs/decisions/0008-spark-job-classpath.md).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Roll kos.logs and kos.metrics up into Cassandra with the Spark job.",
        "By default the job is submitted to the jobs framework: its driver runs as a kos task, its executors as kos",
        "tasks of the analytics role, and it waits (see `kos job list`) while the cluster is above that role's",
        "utilization threshold. The agents run the built job from this checkout by absolute path (same machine).",
        "--local runs it here instead, as before. Without --follow it stops once caught up with the topics;",
        "running it again adds nothing."})
public final class AnalyticsRunCommand implements Callable<Integer> {

  static final String MAIN_CLASS = "dev.kos.analytics.job.LaunchMain";
  static final String JOB_JAR = "kos-analytics-job.jar";
  /** The driver's heap, and its task's mem with room for the JVM beyond the heap. */
  static final int DRIVER_HEAP_MIB = 768;
  static final int DRIVER_TASK_MIB = 1280;
  /** The driver's directory of Spark checkpoints in its data dir (the job's {@code JobOptions.checkpointDir}). */
  static final String CHECKPOINTS = "spark-checkpoints";

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  AnalyticsOptions store;

  @Option(names = "--analytics-dir", paramLabel = "DIR",
      description = "Where the job keeps its Spark checkpoint (default: $KOS_HOME/analytics)")
  Path analyticsDir;

  @Option(names = "--local", description = "Run the job on this machine in a JVM of its own, not on the cluster")
  boolean local;

  @Option(names = "--spark-master", paramLabel = "MASTER",
      description = "Implies --local: local[N] runs in the job's JVM (default local[2]); spark://, yarn, k8s:// "
          + "submit through $SPARK_HOME")
  String sparkMaster;

  @Option(names = "--job-id", paramLabel = "ID", defaultValue = "analytics-rollup",
      description = "The kos job the rollup runs as (default: ${DEFAULT-VALUE}); run it again once a run ended")
  String jobId;

  @Option(names = "--job-role", paramLabel = "ROLE", defaultValue = "jobs",
      description = "The role of the driver's job, which the jobs framework must run in (default: ${DEFAULT-VALUE}, "
          + "the role `kos up` runs its jobs framework in); the executors' role is --executor-role")
  String jobRole;

  @Option(names = "--executor-role", paramLabel = "ROLE", defaultValue = "analytics",
      description = "The role the Spark executors run in (default: ${DEFAULT-VALUE})")
  String executorRole;

  @Option(names = "--executors", paramLabel = "N", defaultValue = "2",
      description = "Spark executors to start as kos tasks (default: ${DEFAULT-VALUE})")
  int executors;

  @Option(names = "--executor-memory", paramLabel = "SIZE", defaultValue = "512m",
      description = "Heap of each executor; its kos task asks for this plus Spark's overhead, at least 384 MiB "
          + "(default: ${DEFAULT-VALUE})")
  String executorMemory;

  @Option(names = "--schedule", paramLabel = "CRON",
      description = "Run the rollup on this schedule (cron, or @every 10m) instead of once now")
  String schedule;

  @Mixin
  CommandOptions sending;

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
    Path dir = builtJob(jobDir != null ? jobDir : besideThisModule()).toAbsolutePath();
    if (!local && sparkMaster == null) {
      prepareForTaskUsers(dataDir(), taskUsers());
      return sending.send(bus, spec, new RunJob(clusterJob(dir)), Answerer.JOBS_FRAMEWORK);
    }
    Process job = new ProcessBuilder(command(dir, sparkMaster != null ? sparkMaster : "local[2]")).start();
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

  /**
   * The driver as a kos job: the same JVM as {@code --local} starts, run by an agent of this machine (the classpath
   * by absolute path, as the job's {@code KOS_CLASSPATH}, so that an agent that runs it as another user gives it a
   * copy that user can read), its master {@code kos://<bootstrap>} so that Spark asks kos for its executors. The
   * JVM's options are the job's {@code jvm.options}, inlined: that file, too, may sit where the task user cannot go.
   */
  JobSpec clusterJob(Path dir) {
    List<String> args = new ArrayList<>(jvmOptions(dir));
    args.add("-Xmx" + DRIVER_HEAP_MIB + "m");
    args.add(MAIN_CLASS);
    args.addAll(jobArgs("kos://" + bus.bootstrapServers()));
    BusSettings settings = bus.settings();
    args.addAll(List.of("--conf", "spark.kos.schemaRegistry=" + settings.schemaRegistryUrl(),
        "--conf", "spark.kos.topicPrefix=" + settings.catalog().prefix(),
        "--conf", "spark.kos.role=" + executorRole,
        "--conf", "spark.executor.instances=" + executors,
        "--conf", "spark.executor.memory=" + executorMemory));
    bus.clientConfigFile().ifPresent(file -> args.addAll(List.of("--conf",
        "spark.kos.clientConfig=" + file.toAbsolutePath())));
    dev.kos.model.CommandSpec jvm = dev.kos.model.CommandSpec.jvm(java(), args, classpath(dir));
    return JobSpec.newBuilder().setId(jobId).setArgv(jvm.argv()).setEnv(jvm.env()).setCpus(1).setMem(DRIVER_TASK_MIB)
        .setRole(jobRole).setSchedule(schedule).build();
  }

  /** The job's JVM here ({@code --local}): its options from {@code jvm.options}, as the job's build wrote them. */
  List<String> command(Path dir, String sparkMaster) {
    List<String> command = new ArrayList<>();
    command.add(java());
    // The --add-opens Spark needs on Java 17, as the job's build wrote them.
    command.add("@" + dir.resolve("jvm.options"));
    command.add("-cp");
    command.add(classpath(dir));
    command.add(MAIN_CLASS);
    command.addAll(jobArgs(sparkMaster));
    return command;
  }

  private List<String> jobArgs(String sparkMaster) {
    List<String> args = new ArrayList<>(List.of("--bootstrap-server", bus.bootstrapServers(), "--topic-prefix",
        bus.catalog().prefix(), "--cassandra", store.contactPoints(), "--keyspace", store.keyspace(), "--data-dir",
        dataDir().toString(), "--spark-master", sparkMaster));
    if (follow) {
      args.add("--follow");
    }
    bus.clientConfigFile().ifPresent(file -> args.addAll(List.of("--client-config",
        file.toAbsolutePath().toString())));
    return args;
  }

  private Path dataDir() {
    return (analyticsDir != null ? analyticsDir : home().dir().resolve("analytics")).toAbsolutePath();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath(Path dir) {
    return dir.resolve(JOB_JAR) + File.pathSeparator + dir.resolve("lib").resolve("*");
  }

  /** The options of the job's {@code jvm.options} (one or more a line; {@code #} starts a comment line). */
  static List<String> jvmOptions(Path dir) {
    try {
      return Files.readAllLines(dir.resolve("jvm.options")).stream().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .flatMap(line -> Arrays.stream(line.split("\\s+"))).toList();
    } catch (IOException e) {
      throw new UsageProblem("cannot read the job's JVM options " + dir.resolve("jvm.options") + ": " + e.getMessage());
    }
  }

  /** The users the agents run tasks that name none as ({@code kos.task-user}, which each advertises). */
  private Set<String> taskUsers() {
    return CompactedTopics.readToEnd(bus.connect(), Topics.AGENTS).values().stream()
        .map(report -> report.getAttributes().get(TaskUsers.ATTRIBUTE)).filter(Objects::nonNull)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The driver's data dir, ready for a driver run as another user than this command's (the agents' task user): this
   * command creates it and its {@code spark-defaults.conf}, which stay its own (what the job loads is the
   * submitter's to say), and gives the driver the directory its Spark checkpoints go in
   * ({@value #CHECKPOINTS}: they must outlive the driver's sandbox, or a rerun would roll up everything again). Only
   * root can give a directory away; anyone else is told what the driver will not be able to do.
   */
  void prepareForTaskUsers(Path dataDir, Set<String> users) throws IOException {
    Path checkpoints = dataDir.resolve(CHECKPOINTS);
    Files.createDirectories(checkpoints);
    Path defaults = dataDir.resolve("spark-defaults.conf");
    if (!Files.exists(defaults)) {
      Files.writeString(defaults, "# Spark settings for the kos rollup job, one `key value` per line.\n");
    }
    Set<String> others = new TreeSet<>(users);
    others.remove(System.getProperty("user.name"));
    if (others.isEmpty()) {
      return;
    }
    PrintWriter err = spec.commandLine().getErr();
    WorkDirModes.closedAncestor(checkpoints).ifPresent(closed -> err.println("warning: the Spark driver runs as "
        + String.join(" or ", others) + ", who cannot reach " + dataDir + " (" + closed + "): pass --analytics-dir "
        + "with a directory others may pass through"));
    if (others.size() > 1) {
      err.println("warning: the agents run tasks as " + String.join(", ", others) + ": " + checkpoints
          + " must be writable by the one that runs the driver");
      return;
    }
    String user = others.iterator().next();
    try {
      TaskUser owner = TaskUser.lookup(user);
      try (Stream<Path> paths = Files.walk(checkpoints)) {
        for (Path path : paths.toList()) {
          Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
        }
      }
    } catch (IOException e) {
      err.println("warning: the Spark driver runs as " + user + " (the agents' --task-user), and " + checkpoints
          + " could not be given to it (" + e.getMessage() + "): make it writable by " + user
          + ", or run the agents with --task-user agent");
    }
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
