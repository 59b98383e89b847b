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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark rollup on real agents: `kos analytics run` submits it as a job of the analytics role, which waits, saying
 * why, while another framework holds the cluster above that role's threshold; once it lets go, the job's driver runs
 * as a kos task and its executors as kos tasks of the analytics role on two or more agents
 * (docs/decisions/0019-spark-on-kos.md). The rollup sums in Cassandra equal the lines produced, and a rerun adds
 * nothing.
 */
@ExtendWith({KafkaBrokerExtension.class, CassandraNodeExtension.class})
class SparkOnKosIT {

  private static final String ROLE = "analytics";
  private static final String APP = "spark-it";
  private static final int LINES = 3_000;
  private static final String JOB = "analytics-rollup";
  /** Spark's start (driver, then executors of their own JVMs) on a shared 2-core machine takes its time. */
  private static final Duration SPARK_DEADLINE = Duration.ofMinutes(4);

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void shouldHoldTheRollupBackAtTheThresholdThenRunItsExecutorsOnTheAgentsExactlyOnce(
      @BootstrapServers String bootstrap, @CassandraContactPoint String cassandra) throws Exception {
    Path jobDir = builtAnalyticsJob();
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
          BusAgent a1 = agent(bus, "a1");
          BusAgent a2 = agent(bus, "a2");
          BusAgent a3 = agent(bus, "a3");
          BusSchedulerDriver web = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("web", "web"), occupier,
              Clock.systemUTC()).start();
          JobsFramework jobs = new JobsFramework(bus.bus(), ROLE, JobsConfig.DEFAULT, Clock.systemUTC()).start()) {
        TestBus.await("4 of the 6 cpus held by web", () -> occupier.running() == 4);

        String[] run = {"analytics", "run", "--job-role", ROLE, "--cassandra", cassandra, "--keyspace", keyspace,
            "--analytics-dir", dir.resolve("analytics").toString(), "--analytics-job", jobDir.toString()};
        InProcessKos.Result submitted = kos.run(run);
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        assertThat(submitted.out()).contains("job " + JOB + " accepted: runs once, now");

        String heldBack = "waiting: role analytics is held back while cluster utilization 66% ≥ 60% threshold";
        TestBus.await("the rollup waiting for the held-back role",
            () -> jobs.jobs().get(JOB).waiting().filter(heldBack::equals).isPresent());
        InProcessKos.Result list = kos.run("job", "list");
        assertThat(list.out()).as(list.toString()).contains(JOB, "WAITING", heldBack);

        Files.createFile(release);
        // An executor dies while the application reads: Spark is told, runs its tasks elsewhere, and the backend
        // launches a replacement.
        await("the driver reading with two executors running", () -> driverSaid(bus, "[kos-analytics] reading")
            && executorProcess("--executor-id 1").isPresent() && executorProcess("--executor-id 2").isPresent());
        ProcessHandle lost = executorProcess("--executor-id 1").orElseThrow();
        lost.destroyForcibly();
        await("the rollup finished once web let go", () -> lastRun(jobs).filter(r -> r.state().ended()).isPresent());
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
        await("the rerun finished", () -> jobs.jobs().get(JOB).runs().stream().filter(r -> r.state().ended()).count() == 2);
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
    try (BusPublisher publisher = new BusPublisher(bus.bus(), "spark-it-lines")) {
      for (int i = 0; i < LINES; i++) {
        publisher.publish(Topics.LOGS, "web-task-" + (i % 3), LogLine.newBuilder().setTaskId("web-task-" + (i % 3))
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
    long deadline = System.nanoTime() + SPARK_DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + SPARK_DEADLINE + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private BusAgent agent(TestBus bus, String id) {
    // Hostname = agent id, as `kos up` names its agents: it does not resolve, so the executors bind Spark's RPC
    // to the driver's host (the same machine).
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:2;mem:3072"), Map.of(),
        Map.of(), dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(1), Duration.ofSeconds(10), 1000),
        Clock.systemUTC());
  }
}
