package dev.kos.agent.bus;

import static dev.kos.agent.testing.Placements.kill;
import static dev.kos.agent.testing.Placements.launch;
import static dev.kos.agent.testing.Placements.task;
import static dev.kos.agent.testing.Placements.withVolume;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.agent.fetch.FetchSettings;
import dev.kos.agent.fetch.core.RetryPolicy;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.BusFixture;
import dev.kos.agent.testing.HealthEndpoint;
import dev.kos.agent.testing.BusFixture.Keyed;
import dev.kos.bus.catalog.KeyPartitioner;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.bus.metrics.MetricsSettings;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.PrometheusPage;
import dev.kos.schema.AgentReport;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.CreateVolume;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.DestroyVolume;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.Volume;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real agent (real processes) on the real broker: every placement in, every report out. */
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class BusAgentIT {
  private static final String AGENT = "a1";

  @TempDir
  Path workDir;
  BusFixture fixture;
  BusAgent agent;

  @BeforeEach
  void startAgent(@BootstrapServers String bootstrap) throws Exception {
    fixture = BusFixture.start(bootstrap, "agent", 2);
    agent = BusAgent.start(settings(), Clock.systemUTC());
  }

  @AfterEach
  void stopAgent() throws InterruptedException {
    if (agent != null) {
      agent.close();
    }
    fixture.close();
    AgentHarness.killAllTasks(workDir);
  }

  @Test
  void shouldRunAPlacedTaskToFinishedAndShipItsOutputAndReports() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "t1", "echo one; echo two; sleep 1"));

    awaitStatus("t1", TaskState.FINISHED);
    assertThat(states("t1")).containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
    assertThat(fixture.records(Topics.TASK_STATUS)).extracting(Keyed::key).containsOnly(AGENT);
    Await.until(() -> stdout("t1").size() == 2, BusFixture.DEADLINE, "stdout of t1 never arrived on kos.logs");
    assertThat(stdout("t1")).containsExactly("one", "two");
    assertThat(fixture.records(Topics.LOGS)).extracting(Keyed::key).containsOnly("t1");

    AgentReport registration = fixture.records(Topics.AGENTS).get(0).value();
    assertThat(registration.getAgentId()).isEqualTo(AGENT);
    assertThat(registration.getTotal().getCpus()).isEqualTo(2.0);
    assertThat(registration.getAttributes()).containsEntry("rack", "r1")
        .containsEntry(dev.kos.agent.exec.TaskUsers.ATTRIBUTE, System.getProperty("user.name"));
    assertThat(registration.getReservations()).singleElement()
        .satisfies(reservation -> assertThat(reservation.getRole()).isEqualTo("spark"));
    assertThat(registration.getLimitEnforcement()).isEqualTo(agent.executor().limitEnforcement().label());
    assertThat(registration.getKillMethod()).isEqualTo(agent.executor().killMethod().label())
        .as("CI runs as root on a host with cgroups").isIn("cgroup-v2", "cgroup-v1-freezer");
    fixture.await(Topics.AGENTS, report -> report.value().getUsed().getCpus() == 0.1,
        "a report when the task took its resources");
    fixture.await(Topics.AGENTS, report -> report.value().getHeartbeatTime()
        .isAfter(registration.getHeartbeatTime().plusMillis(500)), "a later heartbeat");
  }

  /**
   * Artifacts over HTTP (the JDK's server, counting requests): fetched into the sandbox before the task runs, a
   * second task with the same sha256 served from the agent's cache, a bad digest and a 404 FAILED with the reason,
   * a kill during a download ending the task KILLED without starting it; a download answered 503 once, and one
   * that stalls after half its bytes once, fetched on the next attempt; a server that keeps answering 503 FAILs
   * the task after the agent's attempts (three here).
   */
  @Test
  void shouldFetchATasksArtifactIntoItsSandboxOnceAndFailABadOneWithItsReason() throws Exception {
    byte[] tool = "#!/bin/sh\necho fetched $1\n".getBytes(StandardCharsets.UTF_8);
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(tool));
    java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.createContext("/slow.jar", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, 4);
      exchange.getResponseBody().write("slow".getBytes(StandardCharsets.UTF_8));
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    Map<String, java.util.concurrent.atomic.AtomicInteger> asked = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.CountDownLatch hang = new java.util.concurrent.CountDownLatch(1);
    for (String trouble : List.of("flaky", "stall", "down")) {
      server.createContext("/" + trouble + "/", exchange -> {
        int request = asked.computeIfAbsent(trouble, t -> new java.util.concurrent.atomic.AtomicInteger())
            .incrementAndGet();
        if (trouble.equals("down") || trouble.equals("flaky") && request == 1) {
          exchange.sendResponseHeaders(503, -1);
        } else if (trouble.equals("stall") && request == 1) {
          // The headers and half the bytes, then nothing: the agent must not wait for ever.
          exchange.sendResponseHeaders(200, tool.length);
          exchange.getResponseBody().write(tool, 0, tool.length / 2);
          exchange.getResponseBody().flush();
          try {
            hang.await(2, java.util.concurrent.TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        } else {
          exchange.sendResponseHeaders(200, tool.length);
          exchange.getResponseBody().write(tool);
        }
        exchange.close();
      });
    }
    server.createContext("/", exchange -> {
      boolean found = exchange.getRequestURI().getPath().equals("/tool.sh");
      if (found) {
        served.incrementAndGet();
      }
      exchange.sendResponseHeaders(found ? 200 : 404, found ? tool.length : -1);
      if (found) {
        exchange.getResponseBody().write(tool);
      }
      exchange.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      dev.kos.schema.Artifact artifact = dev.kos.schema.Artifact.newBuilder().setUri(base + "/tool.sh")
          .setSha256(sha256).setExecutable(true).build();
      for (String taskId : List.of("t1", "t2")) {
        fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withArtifact(task(taskId, "./tool.sh " + taskId),
            artifact)));
        awaitStatus(taskId, TaskState.FINISHED);
        Await.until(() -> stdout(taskId).size() == 1, BusFixture.DEADLINE, "stdout of " + taskId);
        assertThat(stdout(taskId)).containsExactly("fetched " + taskId);
      }
      assertThat(served).as("requests for tool.sh: the second task's copy came from the cache").hasValue(1);

      fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withArtifact(task("bad-digest", "./tool.sh"),
          dev.kos.schema.Artifact.newBuilder(artifact).setSha256("0".repeat(64)).build())));
      fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withArtifact(task("missing", "true"),
          dev.kos.schema.Artifact.newBuilder().setUri(base + "/gone.jar").build())));

      assertThat(awaitStatus("bad-digest", TaskState.FAILED).getMessage()).isEqualTo("cannot fetch the task's "
          + "artifacts: artifact " + base + "/tool.sh: its sha256 is " + sha256 + ", not the expected "
          + "0".repeat(64));
      assertThat(awaitStatus("missing", TaskState.FAILED).getMessage()).isEqualTo("cannot fetch the task's "
          + "artifacts: artifact " + base + "/gone.jar: the server answered HTTP 404");
      assertThat(states("bad-digest")).containsExactly(TaskState.STARTING, TaskState.FAILED);

      // Killed while its artifact downloads: KILLED at once, and nothing starts once the download is done.
      fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withArtifact(task("slow", "echo started"),
          dev.kos.schema.Artifact.newBuilder().setUri(base + "/slow.jar").build())));
      awaitStatus("slow", TaskState.STARTING);
      fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "slow", 1_000));
      awaitStatus("slow", TaskState.KILLED);
      release.countDown();
      fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "after-slow", "true"));
      awaitStatus("after-slow", TaskState.FINISHED);
      assertThat(states("slow")).containsExactly(TaskState.STARTING, TaskState.KILLED);
      assertThat(stdout("slow")).isEmpty();

      // Transient trouble is retried (the agent here: 3 attempts, 1 s without a byte is a stall).
      for (String trouble : List.of("flaky", "stall", "down")) {
        fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withArtifact(task(trouble, "./tool.sh " + trouble),
            dev.kos.schema.Artifact.newBuilder().setUri(base + "/" + trouble + "/tool.sh").setExecutable(true)
                .build())));
      }
      for (String fetched : List.of("flaky", "stall")) {
        awaitStatus(fetched, TaskState.FINISHED);
        Await.until(() -> stdout(fetched).size() == 1, BusFixture.DEADLINE, "stdout of " + fetched);
        assertThat(stdout(fetched)).containsExactly("fetched " + fetched);
        assertThat(asked.get(fetched)).as("requests for " + fetched + "/tool.sh").hasValue(2);
      }
      assertThat(awaitStatus("down", TaskState.FAILED).getMessage()).isEqualTo("cannot fetch the task's artifacts: "
          + "artifact " + base + "/down/tool.sh: the server answered HTTP 503 (gave up after 3 attempts)");
      assertThat(asked.get("down")).hasValue(3);
    } finally {
      hang.countDown();
      release.countDown();
      server.stop(0);
    }
  }

  private static dev.kos.schema.TaskInfo withArtifact(dev.kos.schema.TaskInfo.Builder task,
      dev.kos.schema.Artifact artifact) {
    return task.setCommand(dev.kos.schema.CommandInfo.newBuilder(task.getCommand()).setArtifacts(List.of(artifact))
        .build()).build();
  }

  @Test
  void shouldReportAFailingCommandAsFailedWithItsExitCode() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "t1", "echo broken >&2; exit 7"));

    TaskStatus failed = awaitStatus("t1", TaskState.FAILED);

    assertThat(failed.getExitCode()).isEqualTo(7);
    assertThat(failed.getMessage()).contains("broken");
  }

  /** Also the agent's /metrics over real HTTP, as `kos agent` serves it: its task, capacity, usage and kill. */
  @Test
  void shouldKillARunningTaskAndSampleItsUsageMeanwhile() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "t1", "sleep 60"));
    awaitStatus("t1", TaskState.RUNNING);
    fixture.await(Topics.METRICS, metric -> "t1".equals(metric.value().getTaskId()), "a usage sample of t1");

    try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", 0), ProcessMetrics.registry())
        .orElseThrow()) {
      PrometheusPage running = PrometheusPage.scrape(server.url());
      assertThat(running.value("kos_agent_tasks", "agent", AGENT, "state", "RUNNING")).isEqualTo(1.0);
      assertThat(running.value("kos_agent_launches_total", "agent", AGENT)).isEqualTo(1.0);
      assertThat(running.value("kos_agent_capacity_cpus", "agent", AGENT)).isEqualTo(2.0);
      assertThat(running.value("kos_agent_allocated_cpus", "agent", AGENT)).isEqualTo(0.1);
      assertThat(running.value("kos_agent_task_rss_bytes", "agent", AGENT)).as("sampled while t1 ran").isPositive();
      assertThat(running.value("kos_agent_statuses_total", "agent", AGENT, "state", "RUNNING")).isEqualTo(1.0);
      assertThat(running.has("kos_consumer_lag", "group", "kos-agent-" + AGENT)).isTrue();

      fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "t1", 1_000));

      awaitStatus("t1", TaskState.KILLED);
      MetricSample sample = fixture.values(Topics.METRICS, metric -> "t1".equals(metric.getTaskId())).get(0);
      assertThat(sample.getValues()).containsKeys("cpu_seconds", "rss_bytes");
      PrometheusPage killed = PrometheusPage.scrape(server.url());
      assertThat(killed.value("kos_agent_kills_total", "agent", AGENT)).isEqualTo(1.0);
      assertThat(killed.value("kos_agent_tasks", "agent", AGENT, "state", "KILLED")).isEqualTo(1.0);
      assertThat(killed.value("kos_agent_tasks", "agent", AGENT, "state", "RUNNING")).isZero();
      assertThat(killed.value("kos_agent_statuses_total", "agent", AGENT, "state", "KILLED")).isEqualTo(1.0);
    }
  }

  @Test
  void shouldDeadLetterBadPlacementsAnswerImpossibleOnesAndGoOn() throws Exception {
    byte[] garbage = "not a placement".getBytes(StandardCharsets.UTF_8);
    fixture.publishRaw(Topics.PLACEMENTS, AGENT, garbage);
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withVolume(task("unsafe", "true"), "../etc").build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("huge", "true")
        .setResources(dev.kos.schema.Resources.newBuilder().setCpus(64).setMem(32).build()).build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch("someone-else", "misrouted", "true"));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "after", "true"));

    awaitStatus("after", TaskState.FINISHED);
    TaskStatus refused = awaitStatus("huge", TaskState.ERROR);
    assertThat(refused.getMessage()).contains("not enough resources").contains("cpus wanted 64");
    Await.until(() -> fixture.records(Topics.DEAD_LETTERS).size() == 3, BusFixture.DEADLINE,
        "three dead letters expected, saw " + fixture.records(Topics.DEAD_LETTERS));
    List<DeadLetter> letters = fixture.records(Topics.DEAD_LETTERS).stream().map(Keyed::value).toList();
    assertThat(letters.get(0).getReason()).startsWith("undecodable: ");
    assertThat(letters.get(0).getValue().array()).isEqualTo(garbage);
    assertThat(letters.get(1).getReason()).startsWith("rejected: LaunchTask for agent a1 cannot be carried out: ")
        .contains("invalid persistence id '../etc'");
    assertThat(letters.get(2).getReason()).contains("names agent someone-else");
    assertThat(states("unsafe")).containsExactly(TaskState.ERROR);
  }

  @Test
  void shouldAnswerPlacementsItCannotRunWithAnErrorStatusAndStillDeadLetterThem() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("../x", "true").build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("", "true").build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, withVolume(task("bad-volume", "true"), "../etc").build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("no-interval", "sleep 1")
        .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.COMMAND).setCommand("true")
            .setIntervalSeconds(0).build()).build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("absurd", "true")
        .setResources(Resources.newBuilder().setCpus(-1).setMem(Double.NaN).build()).build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "after", "true"));

    awaitStatus("after", TaskState.FINISHED);
    Map<String, String> reasons = Map.of(
        "../x", "invalid task id '../x'",
        "", "invalid task id ''",
        "bad-volume", "invalid persistence id '../etc'",
        "no-interval", "health check interval and timeout must be positive",
        "absurd", "cpus must be a finite number >= 0, got -1.0");
    for (Map.Entry<String, String> expected : reasons.entrySet()) {
      Keyed<TaskStatus> error = fixture.await(Topics.TASK_STATUS, status -> status.value().getTaskId()
          .equals(expected.getKey()) && status.value().getState() == TaskState.ERROR,
          "an ERROR status for task '" + expected.getKey() + "'");
      assertThat(error.key()).as("statuses are keyed by agent id").isEqualTo(AGENT);
      assertThat(error.value().getFrameworkId()).isEqualTo("fw-1");
      assertThat(error.value().getAgentId()).isEqualTo(AGENT);
      assertThat(error.value().getMessage()).startsWith("the agent cannot run this task: ")
          .contains(expected.getValue());
      assertThat(states(expected.getKey())).as("task '%s'", expected.getKey()).containsExactly(TaskState.ERROR);
    }
    Await.until(() -> fixture.records(Topics.DEAD_LETTERS).size() == reasons.size(), BusFixture.DEADLINE,
        reasons.size() + " dead letters expected, saw " + fixture.records(Topics.DEAD_LETTERS));
    assertThat(fixture.records(Topics.DEAD_LETTERS)).extracting(letter -> letter.value().getReason())
        .allSatisfy(reason -> assertThat(reason).startsWith("rejected: LaunchTask for agent a1 cannot be carried out: "));
    assertThat(agent.executor().usedResources().cpus()).isZero();
  }

  @Test
  void shouldAnswerVolumeOperationsOnCommandResults() throws Exception {
    Volume volume = Volume.newBuilder().setPersistenceId("v1").setRole("db").build();
    fixture.publish(Topics.PLACEMENTS, AGENT, new PlacementEvent(CreateVolume.newBuilder().setAgentId(AGENT)
        .setFrameworkId("fw-1").setVolume(volume).build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, new PlacementEvent(DestroyVolume.newBuilder().setAgentId(AGENT)
        .setFrameworkId("fw-1").setPersistenceId("v1").setRole("web").build()));

    CommandResult created = fixture.await(Topics.COMMAND_RESULTS, r -> r.key().equals("create-volume:v1"),
        "the create result").value();
    CommandResult destroy = fixture.await(Topics.COMMAND_RESULTS, r -> r.key().equals("destroy-volume:v1"),
        "the destroy result").value();

    assertThat(created.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(created.getHandledBy()).isEqualTo("agent:a1");
    assertThat(destroy.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(destroy.getReason()).contains("db");
    assertThat(workDir.resolve("volumes").resolve("v1")).isDirectory();
  }

  @Test
  void shouldReportAnHttpHealthCheckThatStartsFailing() throws Exception {
    int port = freePortInTheAgentsRange();
    try (HealthEndpoint endpoint = new HealthEndpoint(port)) {
      fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, task("web", "sleep 60")
          .setResources(Resources.newBuilder().setCpus(0.1).setMem(32)
              .setPorts(List.of(dev.kos.schema.PortRange.newBuilder().setBegin(port).setEnd(port).build())).build())
          .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/health")
              .setGracePeriodSeconds(0).setIntervalSeconds(1).setTimeoutSeconds(1).setMaxConsecutiveFailures(2).build())
          .build()));
      fixture.await(Topics.TASK_STATUS, status -> isHealth(status.value(), "web", true), "web healthy");

      endpoint.answer(500);

      fixture.await(Topics.TASK_STATUS, status -> isHealth(status.value(), "web", false), "web unhealthy");
      assertThat(states("web")).as("the agent never kills on unhealthy").doesNotContain(TaskState.KILLED,
          TaskState.FAILED);
    }
  }

  @Test
  void shouldHandBackAPersistentVolumeToARelaunchedTask() throws Exception {
    Volume volume = Volume.newBuilder().setPersistenceId("pg").setRole("db").build();
    fixture.publish(Topics.PLACEMENTS, AGENT, new PlacementEvent(CreateVolume.newBuilder().setAgentId(AGENT)
        .setFrameworkId("fw-1").setVolume(volume).build()));
    fixture.await(Topics.COMMAND_RESULTS, r -> r.key().equals("create-volume:pg"), "the volume created");

    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT,
        withVolume(task("writer", "echo kept across launches > data/greeting; sleep 60"), "pg").build()));
    awaitStatus("writer", TaskState.RUNNING);
    Await.until(() -> Files.exists(workDir.resolve("volumes").resolve("pg").resolve("data").resolve("greeting")),
        BusFixture.DEADLINE,
        "the writer never wrote into its volume");
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "writer", 1_000));
    awaitStatus("writer", TaskState.KILLED);

    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT,
        withVolume(task("reader", "cat data/greeting"), "pg").build()));

    awaitStatus("reader", TaskState.FINISHED);
    Await.until(() -> stdout("reader").contains("kept across launches"), BusFixture.DEADLINE,
        "the relaunched task did not read the volume back: " + stdout("reader"));
  }

  @Test
  void shouldRecoverARunningTaskAfterARestartWithoutRelaunchingIt(@BootstrapServers String bootstrap) throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "long", "sleep 60"));
    awaitStatus("long", TaskState.RUNNING);
    agent.close();
    agent = null;

    agent = BusAgent.start(settings(), Clock.systemUTC());
    Await.until(() -> states("long").stream().filter(TaskState.RUNNING::equals).count() == 2, BusFixture.DEADLINE,
        "the restarted agent never reported the recovered task RUNNING; statuses: " + states("long"));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, "marker", "true"));
    awaitStatus("marker", TaskState.FINISHED);

    assertThat(states("long")).containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.RUNNING);
    Await.until(() -> committedOffset(bootstrap) == 2, BusFixture.DEADLINE,
        "the agent's group never committed its position past both placements");
  }

  private static boolean isHealth(TaskStatus status, String taskId, boolean healthy) {
    return status.getTaskId().equals(taskId) && Boolean.valueOf(healthy).equals(status.getHealthy());
  }

  /** The agent offers ports 31000-31010; the health check's server must listen on one of them. */
  private static int freePortInTheAgentsRange() {
    for (int port = 31000; port <= 31010; port++) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try the next one
      }
    }
    throw new IllegalStateException("every port from 31000 to 31010 is taken on this machine");
  }

  private AgentSettings settings() {
    return new AgentSettings(AGENT, "host-1", new ResourceSet(2, 1024, 1000, List.of(new PortRange(31000, 31010))),
        Map.of("rack", "r1"), Map.of("spark", new ResourceSet(1, 256, 0, List.of())), workDir, fixture.settings(),
        Duration.ofMillis(300), Duration.ofMillis(300), 1_000)
        .withFetch(FetchSettings.DEFAULTS.withStallTimeout(Duration.ofSeconds(1))
            .withRetry(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(60))));
  }

  private long committedOffset(String bootstrap) {
    String topic = fixture.bus.topic(Topics.PLACEMENTS);
    TopicPartition partition = new TopicPartition(topic, KeyPartitioner.partitionOf(AGENT, 2));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      OffsetAndMetadata committed = admin.listConsumerGroupOffsets("kos-agent-" + AGENT)
          .partitionsToOffsetAndMetadata().get().get(partition);
      return committed == null ? -1 : committed.offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private TaskStatus awaitStatus(String taskId, TaskState state) {
    return fixture.awaitStatus(taskId, state);
  }

  private List<TaskState> states(String taskId) {
    return fixture.states(taskId);
  }

  private List<String> stdout(String taskId) {
    return fixture.stdout(taskId);
  }
}
