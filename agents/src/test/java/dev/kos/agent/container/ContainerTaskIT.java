package dev.kos.agent.container;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;
import static dev.kos.agent.testing.Placements.kill;
import static dev.kos.agent.testing.Placements.launch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.AgentConfig;
import dev.kos.agent.AgentExecutor;
import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.image.OciLayoutWriter;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.BusFixture;
import dev.kos.agent.testing.BusyboxImage;
import dev.kos.agent.testing.Placements;
import dev.kos.agent.testing.RecordingLogSink;
import dev.kos.agent.testing.RecordingStatusSink;
import dev.kos.agent.testing.TaskBuilder;
import dev.kos.agent.testing.TaskProcesses;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.model.ContainerSpec;
import dev.kos.model.PortRange;
import dev.kos.schema.AgentReport;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.MetricSample;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container tasks on a real agent through the real bus, run by real runc: launched as placements like any task,
 * reported through the same lifecycle, killed through runc, with the OOM kill and a missing image named in FAILED.
 * The image is busybox-static, packed into an OCI layout by the test.
 */
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class ContainerTaskIT {
  private static final String AGENT = "a1";

  @TempDir
  static Path images;
  private static String image;

  @TempDir
  Path workDir;
  BusFixture fixture;
  BusAgent agent;

  @BeforeAll
  static void busyboxImage() throws Exception {
    image = BusyboxImage.write(images.resolve("busybox"), List.of("sh", "echo", "cat", "tail", "sleep", "pwd", "id"),
        List.of(dir("etc/"), file("etc/motd", "from the image\n")));
  }

  @BeforeEach
  void startAgent(@BootstrapServers String bootstrap) throws Exception {
    fixture = BusFixture.start(bootstrap, "containers", 2);
    agent = startAgent();
  }

  /** Launches a long container task and stops the agent once it runs, leaving the task running as a crash would. */
  private void runUntilTheAgentStops(String taskId) throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container(taskId, 32, "echo up; exec sleep 600")));
    fixture.awaitStatus(taskId, TaskState.RUNNING);
    agent.close();
    agent = null;
  }

  private BusAgent startAgent() {
    return startAgent(Duration.ZERO);
  }

  private BusAgent startAgent(Duration taskLease) {
    return BusAgent.start(new AgentSettings(AGENT, "host-1", new ResourceSet(2, 1024, 1000,
        List.of(new PortRange(31000, 31010))), Map.of("rack", "r1"), Map.of(), workDir, fixture.settings(),
        Duration.ofMillis(300), Duration.ofMillis(300), 1_000).withTaskLease(taskLease), Clock.systemUTC());
  }

  @AfterEach
  void stopAgent() throws Exception {
    List<String> left = agent == null ? List.of() : runcContainers();
    if (agent != null) {
      agent.close();
    }
    fixture.close();
    AgentHarness.killAllTasks(workDir);
    // A failed test leaves no container (nor its cgroups) on the host.
    for (String id : left) {
      new ProcessBuilder("runc", "--root", workDir.resolve("runc").toString(), "delete", "--force", id)
          .inheritIO().start().waitFor();
    }
  }

  @Test
  void shouldRunAContainerTaskToRunningShipItsOutputAndKillItLeavingNoContainer() throws Exception {
    AgentReport registration = fixture.await(Topics.AGENTS, report -> true, "the agent's registration").value();
    assertThat(registration.getAttributes()).containsEntry(ContainerSpec.RUNTIME_ATTRIBUTE, "runc")
        .containsEntry("rack", "r1");

    // An artifact reaches a container task's sandbox as a process task's (BusAgentIT fetches over HTTP).
    Path greeting = Files.writeString(workDir.resolve("greeting.txt"),
        "fetched into the sandbox\n");
    TaskInfo web = container("web", 64, "cat /etc/motd; cat hello; echo in $(pwd) as $KOS_TASK_ID; "
        + "echo kept > $KOS_SANDBOX/out; exec sleep 600");
    web = TaskInfo.newBuilder(web).setCommand(CommandInfo.newBuilder().setArtifacts(List.of(
        dev.kos.schema.Artifact.newBuilder().setUri(greeting.toUri().toString()).setDestination("hello").build()))
        .build()).build();
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, web));

    fixture.awaitStatus("web", TaskState.RUNNING);
    Await.until(() -> fixture.stdout("web").size() == 3, BusFixture.DEADLINE,
        "the container's output never arrived on kos.logs");
    assertThat(fixture.stdout("web")).containsExactly("from the image", "fetched into the sandbox",
        "in /kos/sandbox as web");
    assertThat(workDir.resolve("sandboxes/web/out")).hasContent("kept");
    assertThat(runcContainers()).hasSize(1);
    // Its usage samples are the container's, from its cgroups: the one process it runs now (sleep), not runc's.
    MetricSample usage = fixture.await(Topics.METRICS, sample -> "web".equals(sample.value().getTaskId())
        && sample.value().getValues().get("processes") == 1.0, "a usage sample of the container's own process")
        .value();
    assertThat(usage.getValues().get("rss_bytes")).as("the container's resident memory").isPositive();

    // sleep is the container's pid 1, which ignores TERM: the kill ends it with KILL after the grace period
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "web", 1_000));

    TaskStatus killed = fixture.awaitStatus("web", TaskState.KILLED);
    assertThat(killed.getMessage()).isEqualTo("killed at the framework's request");
    assertThat(fixture.states("web")).containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.KILLED);
    assertThat(runcContainers()).as("runc list after the kill").isEmpty();
    assertThat(agent.executor().usedResources().cpus()).isZero();
  }

  @Test
  void shouldRunAContainerWhoseImageNamesNoUserAsTheAgentsTaskUser() throws Exception {
    agent.close();
    agent = BusAgent.start(new AgentSettings(AGENT, "host-1", new ResourceSet(2, 1024, 1000,
        List.of(new PortRange(31000, 31010))), Map.of(), Map.of(), workDir, fixture.settings(),
        Duration.ofMillis(300), Duration.ofMillis(300), 1_000).withTaskUser("nobody"), Clock.systemUTC());
    fixture.await(Topics.AGENTS, report -> "nobody".equals(report.value().getAttributes().get(TaskUsers.ATTRIBUTE)),
        "the agent advertising kos.task-user=nobody");

    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("plain", 32,
        "id -u; echo kept > $KOS_SANDBOX/out; cat $KOS_SANDBOX/out")));

    fixture.awaitStatus("plain", TaskState.FINISHED);
    Await.until(() -> fixture.stdout("plain").size() == 2, BusFixture.DEADLINE, "the container's output");
    assertThat(fixture.stdout("plain")).containsExactly("65534", "kept");
    assertThat(Files.getOwner(workDir.resolve("sandboxes/plain")).getName()).isEqualTo("nobody");
  }

  @Test
  void shouldKillAContainerTaskARestartedAgentRecoveredAndLeaveNoContainer() throws Exception {
    runUntilTheAgentStops("kept");

    agent = startAgent();
    Await.until(() -> fixture.states("kept").stream().filter(TaskState.RUNNING::equals).count() == 2,
        BusFixture.DEADLINE, "the restarted agent never reported the recovered container task RUNNING");
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "kept", 1_000));

    fixture.awaitStatus("kept", TaskState.KILLED);
    assertThat(runcContainers()).as("runc list after the recovered task's kill").isEmpty();
  }

  @Test
  void shouldKillAContainerOnceItsAgentStopsRenewingTheTaskLeaseAndReportItLostWhenTheAgentIsBack()
      throws Exception {
    Duration lease = Duration.ofSeconds(2);
    agent.close();
    agent = startAgent(lease);
    String taskId = "leased-" + UUID.randomUUID();
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container(taskId, 32, "echo up; exec sleep 600")));
    fixture.awaitStatus(taskId, TaskState.RUNNING);
    Await.until(() -> !TaskProcesses.of(taskId).isEmpty(), BusFixture.DEADLINE,
        "the container's processes never appeared");

    agent.close();
    agent = null;
    // The container's processes are in runc's cgroup and namespaces, out of the wrapper's reach but for runc kill.
    Await.until(() -> Optional.of(TaskProcesses.of(taskId)).filter(List::isEmpty), lease.plusSeconds(8),
        () -> "the container outlived its agent's lapsed lease: " + TaskProcesses.of(taskId));

    agent = startAgent(lease);
    TaskStatus lost = fixture.awaitStatus(taskId, TaskState.LOST);
    assertThat(lost.getMessage()).startsWith("agent " + AGENT + " stopped renewing its lease for ")
        .endsWith("s; the task was killed so that it never runs twice");
    Await.until(() -> Optional.of(runcContainersOrWhy()).filter("[]"::equals), BusFixture.DEADLINE,
        () -> "runc still holds a container once the task was reported lost: " + runcContainersOrWhy());
  }

  @Test
  void shouldLaunchAndKillOtherTasksWhileAnImageUnpacksAndEndATaskKilledMeanwhileWithoutStartingIt()
      throws Exception {
    // An image whose index.json is a named pipe: reading it blocks until the test writes, as a huge image would.
    Path stuck = Files.createDirectories(images.resolve("stuck-" + UUID.randomUUID()));
    Files.writeString(stuck.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(new ProcessBuilder("mkfifo", stuck.resolve("index.json").toString()).inheritIO().start().waitFor())
        .isZero();
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, TaskInfo.newBuilder(container("slow", 32, "true"))
        .setContainer(ContainerInfo.newBuilder().setImage("oci:" + stuck + ":1").build()).build()));
    fixture.awaitStatus("slow", TaskState.STARTING);

    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, Placements.task("beside", "exec sleep 600").build()));
    fixture.awaitStatus("beside", TaskState.RUNNING);
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "beside", 1_000));
    fixture.awaitStatus("beside", TaskState.KILLED);
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "slow", 1_000));
    TaskStatus killed = fixture.awaitStatus("slow", TaskState.KILLED);

    Files.writeString(stuck.resolve("index.json"), "{}");
    assertThat(killed.getMessage()).isEqualTo("killed at the framework's request");
    assertThat(fixture.states("slow")).containsExactly(TaskState.STARTING, TaskState.KILLED);
    Thread.sleep(1_000);
    assertThat(fixture.states("slow")).as("after the image came through").containsExactly(TaskState.STARTING,
        TaskState.KILLED);
    assertThat(runcContainers()).isEmpty();
  }

  @Test
  void shouldRunACommandHealthCheckInsideTheContainer() throws Exception {
    // The host has an /etc/motd of its own: only the image's says "from the image".
    TaskInfo checked = TaskInfo.newBuilder(container("checked", 32, "exec sleep 600"))
        .setHealthCheck(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.COMMAND)
            .setCommand("grep -q 'from the image' /etc/motd && test \"$PWD\" = /kos/sandbox")
            .setGracePeriodSeconds(30).setIntervalSeconds(1).setTimeoutSeconds(5).build())
        .build();
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, checked));

    fixture.await(Topics.TASK_STATUS, status -> status.value().getTaskId().equals("checked")
        && Boolean.TRUE.equals(status.value().getHealthy()), "the container's COMMAND check passing");
    fixture.publish(Topics.PLACEMENTS, AGENT, kill(AGENT, "checked", 1_000));
    fixture.awaitStatus("checked", TaskState.KILLED);
  }

  @Test
  void shouldReportHowARecoveredContainerEndedByItself() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("recovered", 32, "sleep 4; exit 3")));
    fixture.awaitStatus("recovered", TaskState.RUNNING);
    agent.close();
    agent = startAgent();

    TaskStatus failed = fixture.awaitStatus("recovered", TaskState.FAILED);
    assertThat(failed.getExitCode()).as("the exit status the wrapper recorded for the restarted agent").isEqualTo(3);
    Await.until(() -> Optional.of(runcContainersOrWhy()).filter("[]"::equals), BusFixture.DEADLINE,
        () -> "runc still holds a container once the task ended: " + runcContainersOrWhy());
  }

  @Test
  void shouldRemoveAContainerNoCheckpointAccountsForWhenTheAgentRestarts() throws Exception {
    runUntilTheAgentStops("unknown");
    Files.delete(workDir.resolve("checkpoints/unknown.json"));

    agent = startAgent();

    assertThat(runcContainers()).as("runc list once the restarted agent recovered its tasks").isEmpty();
  }

  @Test
  void shouldRemoveAContainerWhoseRuncRunDied() throws Exception {
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("orphan", 32, "echo up; exec sleep 600")));
    fixture.awaitStatus("orphan", TaskState.RUNNING);
    Await.until(() -> fixture.stdout("orphan").contains("up"), BusFixture.DEADLINE, "the container never started");

    // runc run removes its container when it exits, but not when it is killed: the container runs on without it.
    ProcessHandle runcRun = ProcessHandle.current().descendants()
        .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains("run"))
        .filter(process -> process.info().command().orElse("").endsWith("runc"))
        .findFirst().orElseThrow(() -> new AssertionError("no runc run among this JVM's descendants"));
    runcRun.destroyForcibly();

    TaskStatus failed = fixture.awaitStatus("orphan", TaskState.FAILED);
    assertThat(failed.getExitCode()).isEqualTo(137);
    assertThat(runcContainers()).as("runc list once the task ended").isEmpty();
  }

  @Test
  void shouldFailAContainerThatAllocatesOverItsMemoryLimitNamingTheOomKill() throws Exception {
    // The hog starts after a second, once runc events listens (docs/containers.md: an earlier OOM is a SIGKILL).
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("hog", 32,
        "echo start; sleep 1; exec tail -n 1 /dev/zero")));

    TaskStatus failed = fixture.awaitStatus("hog", TaskState.FAILED);

    assertThat(failed.getMessage()).isEqualTo("OOM-killed: the container went over its memory limit of 32 MiB");
    assertThat(failed.getExitCode()).isEqualTo(137);
    assertThat(runcContainers()).isEmpty();
  }

  @Test
  void shouldNameTheOomKillOfAContainerARestartedAgentRecovered() throws Exception {
    // The hog waits for a file the test writes once the restarted agent took the container back.
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("hog-later", 32,
        "while [ ! -e go ]; do sleep 0.2; done; sleep 2; exec tail -n 1 /dev/zero")));
    fixture.awaitStatus("hog-later", TaskState.RUNNING);
    agent.close();
    agent = startAgent();
    Await.until(() -> fixture.states("hog-later").stream().filter(TaskState.RUNNING::equals).count() == 2,
        BusFixture.DEADLINE, "the restarted agent never reported the recovered container task RUNNING");

    Files.writeString(workDir.resolve("sandboxes/hog-later/go"), "");

    TaskStatus failed = fixture.awaitStatus("hog-later", TaskState.FAILED);
    assertThat(failed.getMessage()).isEqualTo("OOM-killed: the container went over its memory limit of 32 MiB");
    assertThat(failed.getExitCode()).isEqualTo(137);
    assertThat(runcContainers()).isEmpty();
  }

  @Test
  void shouldFailAContainerTaskWhoseImageIsMissingOrEscapesItsRootAndGoOn() throws Exception {
    OciLayoutWriter evil = OciLayoutWriter.layout(images.resolve("evil"));
    evil.add("1", List.of("/bin/sh"), List.of(List.of(symlink("up", "../../.."))));

    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, TaskInfo.newBuilder(container("missing", 32, "true"))
        .setContainer(ContainerInfo.newBuilder().setImage("oci:" + images.resolve("nowhere") + ":1").build())
        .build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, TaskInfo.newBuilder(container("evil", 32, "true"))
        .setContainer(ContainerInfo.newBuilder().setImage("oci:" + evil.path() + ":1").build()).build()));
    fixture.publish(Topics.PLACEMENTS, AGENT, launch(AGENT, container("after", 32, "echo still here")));

    TaskStatus missing = fixture.awaitStatus("missing", TaskState.FAILED);
    TaskStatus refused = fixture.awaitStatus("evil", TaskState.FAILED);
    fixture.awaitStatus("after", TaskState.FINISHED);

    assertThat(missing.getMessage()).isEqualTo("image oci:" + images.resolve("nowhere") + ":1: "
        + images.resolve("nowhere") + " is no OCI image layout (no oci-layout file)");
    assertThat(refused.getMessage()).isEqualTo("layer 1: entry up is a symlink to ../../.., which leads out of the "
        + "image's root; kos refuses the image");
    assertThat(fixture.states("missing")).containsExactly(TaskState.STARTING, TaskState.FAILED);
    assertThat(agent.executor().usedResources().cpus()).isZero();
  }

  @Test
  void shouldFailAContainerTaskOnAnAgentThatCannotRunContainers() throws Exception {
    RecordingStatusSink statuses = new RecordingStatusSink();
    Path processesOnly = Files.createDirectories(workDir.resolve("processes-only"));
    try (AgentExecutor executor = AgentExecutor.start(AgentConfig.of("a2", processesOnly,
        new ResourceSet(1, 256, 0, List.of())).withoutContainers(), Clock.systemUTC(), statuses,
        new RecordingLogSink())) {
      executor.launch(TaskBuilder.task("t1").container(ContainerSpec.of(image)).memMb(32).build());

      assertThat(statuses.await("t1", dev.kos.model.TaskState.FAILED).message())
          .isEqualTo("this agent cannot run containers: runc is not installed");
      assertThat(executor.containers()).isEmpty();
    }
  }

  /** A container task running {@code script} under busybox's sh, with {@code memMb} of memory. */
  private static TaskInfo container(String taskId, double memMb, String script) {
    return TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setFrameworkId("fw-1")
        .setCommand(CommandInfo.newBuilder().build())
        .setResources(Resources.newBuilder().setCpus(0.1).setMem(memMb).setDisk(0).setPorts(List.of()).build())
        .setContainer(ContainerInfo.newBuilder().setImage(image).setEntrypoint(List.of("/bin/sh", "-c", script))
            .build())
        .build();
  }

  private List<String> runcContainers() throws Exception {
    return agent.executor().containers().orElseThrow().containers();
  }

  private String runcContainersOrWhy() {
    try {
      return runcContainers().toString();
    } catch (Exception e) {
      return "(runc list failed: " + e + ")";
    }
  }
}
