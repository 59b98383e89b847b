package dev.kos.systemtests.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.testing.CassandraContactPoint;
import dev.kos.analytics.testing.CassandraNodeExtension;
import dev.kos.analytics.testing.TestKeyspaces;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.InProcessKos;
import dev.kos.systemtests.Occupier;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark rollup on real agents: `kos analytics run` submits it as a job of the analytics role, which waits, saying
 * why, while another framework holds the cluster above that role's threshold; once it lets go, the job's driver runs
 * as a kos task and its executors as kos tasks of the analytics role on two or more agents
 * (docs/decisions/0019-spark-on-kos.md). In the middle of the job (a Spark plugin holds every task until the test
 * lets it go) an executor's JVM is killed, then a whole agent running an executor: its tasks end with its task lease,
 * no process of theirs is left, and Spark runs the lost work on the executors left. The rollup sums in Cassandra
 * equal the lines produced, and a rerun adds nothing.
 */
@ExtendWith({KafkaBrokerExtension.class, CassandraNodeExtension.class})
class SparkOnKosIT {

  private static final String ROLE = "analytics";
  private static final String APP = "spark-it";
  private static final int LINES = 3_000;
  /** The web tasks whose lines the test produces. */
  private static final int SOURCE_TASKS = 4;
  private static final String JOB = "analytics-rollup";
  /** Spark's start (driver, then executors of their own JVMs) on a shared 2-core machine takes its time. */
  private static final Duration SPARK_DEADLINE = Duration.ofMinutes(4);
  /**
   * How long a task outlives its dead agent: below the allocator's agent timeout, long enough that a renewal late by
   * a few seconds on a loaded machine never kills a healthy task.
   */
  private static final Duration TASK_LEASE = Duration.ofSeconds(5);
  /** analytics-job's test class that holds every task until the test lets it go (a Spark plugin). */
  private static final String GATE_PLUGIN = "dev.kos.analytics.spark.TaskGatePlugin";
  private static final String GATE_STARTED = "task-started-";
  private static final String GATE_OPEN = "open";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void shouldHoldTheRollupBackAtTheThresholdThenRunItsExecutorsOnTheAgentsExactlyOnce(
      @BootstrapServers String bootstrap, @CassandraContactPoint String cassandra) throws Exception {
    Path jobDir = withTaskGate(builtAnalyticsJob());
    Path gate = Files.createDirectories(dir.resolve("gate"));
    // The executors mark their tasks there as the agents' task user (nobody, with the default --task-user auto).
    Files.setPosixFilePermissions(gate, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path analyticsDir = Files.createDirectories(dir.resolve("analytics"));
    // The job's launcher reads its Spark settings from there: the task gate on every executor.
    Files.writeString(analyticsDir.resolve("spark-defaults.conf"), "spark.plugins " + GATE_PLUGIN + "\n"
        + "spark.kos.test.gate " + gate + "\n");
    String keyspace = TestKeyspaces.fresh("spark");
    Path release = dir.resolve("release");
    Occupier occupier = new Occupier(4, "while [ ! -f " + release + " ]; do sleep 0.2; done");
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      bus.publish(Topics.ROLES, ROLE, RoleInfo.newBuilder().setRole(ROLE).setPriority(-1)
          .setMaxClusterUtilization(0.6).build());
      produceLogLines(bus);
      InProcessKos kos = InProcessKos.on(bus, dir.resolve("home"));
      try (AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
              "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
          Agents agents = new Agents(bus, "a1", "a2", "a3");
          BusSchedulerDriver web = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("web", "web"), occupier,
              Clock.systemUTC()).start();
          JobsFramework jobs = new JobsFramework(bus.bus(), ROLE, JobsConfig.DEFAULT, Clock.systemUTC()).start()) {
        TestBus.await("4 of the 6 cpus held by web", () -> occupier.running() == 4);

        String[] run = {"analytics", "run", "--job-role", ROLE, "--cassandra", cassandra, "--keyspace", keyspace,
            "--analytics-dir", analyticsDir.toString(), "--analytics-job", jobDir.toString()};
        InProcessKos.Result submitted = kos.run(run);
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        assertThat(submitted.out()).contains("job " + JOB + " accepted: runs once, now");

        String heldBack = "waiting: role analytics is held back while cluster utilization 66% ≥ 60% threshold";
        TestBus.await("the rollup waiting for the held-back role",
            () -> jobs.jobs().get(JOB).waiting().filter(heldBack::equals).isPresent());
        InProcessKos.Result list = kos.run("job", "list");
        assertThat(list.out()).as(list.toString()).contains(JOB, "WAITING", heldBack);

        Files.createFile(release);
        // Mid-job by construction: the task gate holds every task before it runs, so both executors have one in
        // flight when the test strikes, however long Spark takes to get there on a loaded machine.
        await("a task of executors 1 and 2 held at the gate", () -> taskStarted(gate, "1") && taskStarted(gate, "2"));
        // An executor's JVM dies: its task ends FAILED, Spark runs its work elsewhere, the backend launches a
        // replacement, which takes the lost task.
        executorProcess("--executor-id 1").orElseThrow().destroyForcibly();
        await("the replacement executor 3 running the lost task", () -> taskStarted(gate, "3"));
        // Then an executor's whole agent dies (not the driver's: at most one executor fits beside the driver):
        // it stops renewing its task lease, so its tasks kill themselves; Spark runs their work on what is left.
        String driverAgent = lastRun(jobs).flatMap(Run::agentId).orElseThrow();
        Map<String, TaskStatus> executorTasks = latestExecutorTasks(bus);
        String victim = Stream.of("2", "3").map(id -> agentOf(executorTasks, id)).filter(a -> !a.equals(driverAgent))
            .findFirst().orElseThrow(() -> new AssertionError("executors 2 and 3 both beside the driver on "
                + driverAgent + ": " + executorTasks.values()));
        assertThat(processesOf(dir.resolve(victim))).as("the tasks of agent %s before it dies", victim).isNotEmpty();
        long killedAt = System.nanoTime();
        agents.kill(victim);
        await("no process of agent " + victim + "'s tasks left", () -> processesOf(dir.resolve(victim)).isEmpty());
        System.out.printf("SparkOnKosIT: agent %s's tasks gone %.1f s after it died%n", victim,
            (System.nanoTime() - killedAt) / 1e9);
        Files.createFile(gate.resolve(GATE_OPEN));
        await("the rollup finished once web let go", () -> lastRun(jobs).filter(r -> r.state().ended()).isPresent(),
            () -> "the driver's and executors' output:" + System.lineSeparator() + sparkOutput(bus));
        assertThat(lastRun(jobs).orElseThrow().state()).as("%s; the driver's and executors' output:%n%s",
            lastRun(jobs), sparkOutput(bus)).isEqualTo(RunState.FINISHED);

        List<TaskStatus> executors = bus.readCommitted(Topics.SPARK_EXECUTORS, 2).stream().map(TestBus.Keyed::value)
            .toList();
        Set<String> executorAgents = executors.stream().map(TaskStatus::getAgentId).filter(a -> !a.isEmpty())
            .collect(Collectors.toSet());
        assertThat(executorAgents).as("agents the executors ran on: %s", executors).hasSizeGreaterThanOrEqualTo(2);
        assertThat(executors).as("the lost executor and its replacement").anySatisfy(e -> {
          assertThat(e.getTaskId()).endsWith(".executor-1");
          assertThat(e.getState()).isEqualTo(dev.kos.schema.TaskState.FAILED);
        }).anySatisfy(e -> assertThat(e.getTaskId()).endsWith(".executor-3"));
        assertThat(linesRolledUp(cassandra, keyspace)).isEqualTo(LINES);

        InProcessKos.Result again = kos.run(run);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        await("the rerun finished", () -> jobs.jobs().get(JOB).runs().stream().filter(r -> r.state().ended()).count() == 2,
            () -> "the driver's and executors' output:" + System.lineSeparator() + sparkOutput(bus));
        assertThat(lastRun(jobs).orElseThrow().state()).as(lastRun(jobs).toString()).isEqualTo(RunState.FINISHED);
        assertThat(linesRolledUp(cassandra, keyspace)).as("a rerun adds nothing").isEqualTo(LINES);
      }
    }
  }

  /** analytics-job/target as `./mvnw -pl analytics-job package` leaves it; the agents run it by absolute path. */
  private static Path builtAnalyticsJob() {
    Path target = Path.of(System.getProperty("user.dir")).toAbsolutePath().resolveSibling("analytics-job")
        .resolve("target");
    assertThat(target.resolve("kos-analytics-job.jar")).as("build the job first: ./mvnw -pl analytics-job -am "
        + "package -DskipTests").isRegularFile();
    assertThat(target.resolve("lib")).isDirectory();
    return target;
  }

  private static void produceLogLines(TestBus bus) {
    Instant start = Instant.now().minus(Duration.ofMinutes(2));
    // Keys on both partitions of kos.logs: a batch then has a task for each of two executors to hold at the gate.
    assertThat(IntStream.range(0, SOURCE_TASKS).map(i -> KeyPartitioner.partitionOf("web-task-" + i, 2)).distinct())
        .as("partitions of the lines' keys").hasSize(2);
    try (BusPublisher publisher = new BusPublisher(bus.bus(), "spark-it-lines")) {
      for (int i = 0; i < LINES; i++) {
        String task = "web-task-" + (i % SOURCE_TASKS);
        publisher.publish(Topics.LOGS, task, LogLine.newBuilder().setTaskId(task)
            .setFrameworkId("apps").setAppId(APP).setAgentId("a1").setStream(LogStream.STDOUT)
            .setTimestamp(start.plusMillis(i * 10L)).setSeq(i).setLine("INFO line " + i).build());
      }
      publisher.flush();
    }
  }

  /**
   * An executor JVM this test's agents started (the executor id as {@code --executor-id N}), found by its command
   * line in /proc: {@code ProcessHandle.Info} leaves out the arguments of a command line as long as an executor's.
   */
  private static Optional<ProcessHandle> executorProcess(String executorId) {
    return ProcessHandle.current().descendants().filter(process -> {
      try {
        String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        return line.contains("CoarseGrainedExecutorBackend") && line.contains(executorId + " ");
      } catch (java.io.IOException e) {
        return false; // ended meanwhile
      }
    }).findFirst();
  }

  private static boolean driverSaid(TestBus bus, String prefix) {
    return bus.readCommitted(Topics.LOGS, LINES).stream().map(TestBus.Keyed::value)
        .anyMatch(line -> line.getTaskId().startsWith(JOB) && line.getLine().startsWith(prefix));
  }

  /** What the driver and the executors wrote (kos.logs), to explain a failed run. */
  private static String sparkOutput(TestBus bus) {
    return bus.readCommitted(Topics.LOGS, LINES).stream().map(TestBus.Keyed::value)
        .filter(line -> line.getTaskId().startsWith(JOB) || line.getTaskId().startsWith("spark-"))
        .map(line -> line.getTaskId() + " " + line.getStream() + ": " + line.getLine())
        .collect(Collectors.joining(System.lineSeparator()));
  }

  private static long linesRolledUp(String cassandra, String keyspace) {
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra), Duration.ofSeconds(20))) {
      long lines = 0;
      for (Row row : session.execute("SELECT lines FROM " + keyspace + ".app_minute WHERE app = ? AND day IN ?",
          APP, List.of(java.time.LocalDate.now(java.time.ZoneOffset.UTC),
              java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1)))) {
        lines += row.getLong("lines");
      }
      return lines;
    }
  }

  private static Optional<Run> lastRun(JobsFramework jobs) {
    return Optional.ofNullable(jobs.jobs().get(JOB)).flatMap(Job::last);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, condition, () -> "");
  }

  /** @param explain what to add to the failure when it times out (what Spark said) */
  private static void await(String what, BooleanSupplier condition, Supplier<String> explain)
      throws InterruptedException {
    long deadline = System.nanoTime() + SPARK_DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + SPARK_DEADLINE + " waiting for " + what + "; "
            + explain.get());
      }
      Thread.sleep(200);
    }
  }

  /**
   * The built job with, in a lib/ of its own, a jar of analytics-job's test class {@value #GATE_PLUGIN}: the driver
   * and the executors (which run the driver's classpath) load it as a Spark plugin.
   */
  private Path withTaskGate(Path built) throws IOException {
    Path job = Files.createDirectories(dir.resolve("job").resolve("lib")).getParent();
    Files.createSymbolicLink(job.resolve("kos-analytics-job.jar"), built.resolve("kos-analytics-job.jar"));
    Files.createSymbolicLink(job.resolve("jvm.options"), built.resolve("jvm.options"));
    try (Stream<Path> jars = Files.list(built.resolve("lib"))) {
      for (Path jar : jars.toList()) {
        Files.createSymbolicLink(job.resolve("lib").resolve(jar.getFileName()), jar);
      }
    }
    Path classes = built.resolve("test-classes");
    Path classFile = classes.resolve(GATE_PLUGIN.replace('.', '/') + ".class");
    String simpleName = GATE_PLUGIN.substring(GATE_PLUGIN.lastIndexOf('.') + 1);
    assertThat(classFile).as("analytics-job's test classes: build them with ./mvnw -pl analytics-job -am package "
        + "-DskipTests").isRegularFile();
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(job.resolve("lib").resolve("task-gate.jar")));
        Stream<Path> files = Files.list(classFile.getParent())) {
      // The plugin and its nested classes.
      List<Path> gateClasses = files.filter(f -> f.getFileName().toString().equals(simpleName + ".class")
          || f.getFileName().toString().startsWith(simpleName + "$")).toList();
      for (Path file : gateClasses) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString()));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
    return job;
  }

  /** Whether executor {@code executorId} has started a task (the gate holds it). */
  private static boolean taskStarted(Path gate, String executorId) {
    return Files.exists(gate.resolve(GATE_STARTED + executorId));
  }

  /** Each executor's task as the driver last recorded it on kos.spark-executors. */
  private static Map<String, TaskStatus> latestExecutorTasks(TestBus bus) {
    Map<String, TaskStatus> latest = new java.util.LinkedHashMap<>();
    bus.readCommitted(Topics.SPARK_EXECUTORS, 3).forEach(record -> latest.put(record.key(), record.value()));
    return latest;
  }

  private static String agentOf(Map<String, TaskStatus> executorTasks, String executorId) {
    return executorTasks.values().stream().filter(task -> task.getTaskId().endsWith(".executor-" + executorId))
        .map(TaskStatus::getAgentId).findFirst()
        .orElseThrow(() -> new AssertionError("executor " + executorId + " not on kos.spark-executors: " + executorTasks));
  }

  /**
   * Every process of the tasks an agent ran, wherever it is now in the process tree (a task outlives its agent's
   * JVM as an orphan): its command line names the agent's work dir (the task wrapper) or it runs in a sandbox
   * there (the task itself).
   */
  private static List<ProcessHandle> processesOf(Path agentDir) {
    String path = agentDir.toAbsolutePath().toString();
    return ProcessHandle.allProcesses().filter(process -> {
      try {
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        return Files.readString(proc.resolve("cmdline")).contains(path)
            || Files.readSymbolicLink(proc.resolve("cwd")).toString().startsWith(path);
      } catch (IOException e) {
        return false; // ended meanwhile, or not ours to read
      }
    }).toList();
  }

  /** The test's agents; one killed mid-job stays dead, and each is closed once. */
  private final class Agents implements AutoCloseable {
    private final Map<String, BusAgent> live = new java.util.LinkedHashMap<>();

    Agents(TestBus bus, String... ids) {
      for (String id : ids) {
        live.put(id, agent(bus, id));
      }
    }

    /**
     * The agent dies as a crashed process would: no more heartbeats, no more lease renewals. Its tasks are left
     * to the lease.
     */
    void kill(String id) {
      live.remove(id).close();
    }

    @Override
    public void close() {
      live.values().forEach(BusAgent::close);
    }
  }

  private BusAgent agent(TestBus bus, String id) {
    // Hostname = agent id, as `kos up` names its agents: it does not resolve, so the executors bind Spark's RPC
    // to the driver's host (the same machine).
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:2;mem:3072"), Map.of(),
        Map.of(), dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(1), Duration.ofSeconds(10), 1000)
        .withTaskLease(TASK_LEASE),
        Clock.systemUTC());
  }
}
