package dev.kos.agent;

import static dev.kos.model.TaskState.ERROR;
import static dev.kos.model.TaskState.FAILED;
import static dev.kos.model.TaskState.FINISHED;
import static dev.kos.model.TaskState.KILLED;
import static dev.kos.model.TaskState.LOST;
import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.model.TaskState.STARTING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.agent.exec.ClasspathMirror;
import dev.kos.agent.limits.LimitEnforcement;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.agent.process.ProcessTree;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.Await;
import dev.kos.agent.testing.WhoAmIMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes under a real executor: the lifecycle from launch to every end. */
@Timeout(180)
class AgentExecutorIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path workDir;
  AgentHarness agent;

  @BeforeEach
  void startAgent() {
    agent = new AgentHarness(workDir);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    AgentHarness.killAllTasks(workDir);
  }

  @Test
  void shouldRunACommandFromStartingToFinishedAndShipItsOutput() {
    agent.executor.launch(task("t1").shell("echo hello; echo oops >&2").build());

    StatusUpdate finished = agent.statuses.await("t1", FINISHED);

    assertThat(agent.statuses.statesOf("t1")).containsExactly(STARTING, RUNNING, FINISHED);
    assertThat(finished.exitCode()).isZero();
    assertThat(finished.limitEnforcement()).isEqualTo(agent.executor.limitEnforcement().label());
    assertThat(agent.logs.lines("t1", LogSource.STDOUT)).containsExactly("hello");
    assertThat(agent.logs.lines("t1", LogSource.STDERR)).containsExactly("oops");
    assertThat(agent.sandbox("t1").resolve("stdout")).hasContent("hello");
    assertThat(agent.executor.usedResources().cpus()).isZero();
  }

  @Test
  void shouldRunATaskAsItsUserWhoCannotReadTheAgentsClientConfigNorItsCheckpoints() throws Exception {
    Path clientConfig = workDir.resolve("client.properties");
    Files.writeString(clientConfig, "sasl.jaas.config=the-agent's-secret\n");
    Files.setPosixFilePermissions(clientConfig, PosixFilePermissions.fromString("rw-------"));

    // A file only root may read (as root's ~/.m2 on these machines) reaches the task as an artifact it owns.
    Path rootsJar = Files.writeString(workDir.resolve("roots.jar"), "root's jar\n");
    Files.setPosixFilePermissions(rootsJar, PosixFilePermissions.fromString("rw-------"));

    agent.executor.launch(task("t1").user("nobody").artifact(dev.kos.model.Artifact.of(rootsJar.toUri().toString())
        .at("lib/app.jar")).shell("id -u; echo $USER; echo mine > own; cat lib/app.jar; cat " + clientConfig
        + " || echo no-config; ls " + workDir.resolve("checkpoints") + " || echo no-checkpoints").build());

    agent.statuses.await("t1", FINISHED);
    assertThat(agent.logs.lines("t1", LogSource.STDOUT)).containsExactly("65534", "nobody", "root's jar",
        "no-config", "no-checkpoints");
    assertThat(Files.getOwner(agent.sandbox("t1").resolve("lib/app.jar")).getName()).isEqualTo("nobody");
    assertThat(Files.getOwner(agent.sandbox("t1").resolve("lib")).getName()).isEqualTo("nobody");
    assertThat(Files.getOwner(agent.sandbox("t1").resolve("stdout")).getName()).isEqualTo("root");
    assertThat(agent.logs.lines("t1", LogSource.STDERR)).hasSize(2).allMatch(line -> line.endsWith(
        "Permission denied"));
    assertThat(agent.sandbox("t1").resolve("own")).hasContent("mine");
    assertThat(Files.getOwner(agent.sandbox("t1")).getName()).isEqualTo("nobody");
  }

  @Test
  void shouldRunATaskThatNamesNoUserAsTheAgentsTaskUserShutOutOfTheAgentsFilesAndOtherUsersSandboxes()
      throws Exception {
    agent.close();
    agent = new AgentHarness(workDir, config -> config.withTaskUser("nobody"));
    assertThat(agent.executor.taskUsers().defaultUserName()).isEqualTo("nobody");
    Path clientConfig = workDir.resolve("client.properties");
    Files.writeString(clientConfig, "sasl.jaas.config=the-agent's-secret\n");
    Files.setPosixFilePermissions(clientConfig, PosixFilePermissions.fromString("rw-------"));
    // Another user's task (daemon's) keeps a file in its sandbox, and stays running so that its checkpoint is there.
    agent.executor.launch(task("other").user("daemon").shell("echo private > mine; sleep 300").build());
    agent.statuses.await("other", RUNNING);
    Await.until(() -> Files.exists(agent.sandbox("other").resolve("mine")), DEADLINE, "the other task's file");

    Path sandboxes = workDir.resolve("sandboxes");
    Path checkpoints = workDir.resolve("checkpoints");
    agent.executor.launch(task("t1").shell("id -un; echo mine > own; cat own; "
        + "cat " + clientConfig + " || echo no-config; "
        + "ls " + checkpoints + " || echo no-checkpoints; cat " + checkpoints.resolve("other.json")
        + " || echo no-checkpoint; "
        + "cat " + sandboxes.resolve("other/mine") + " || echo no-sandbox; "
        + "ls " + sandboxes + " || echo no-listing").build());

    agent.statuses.await("t1", FINISHED);
    assertThat(agent.logs.lines("t1", LogSource.STDOUT)).containsExactly("nobody", "mine", "no-config",
        "no-checkpoints", "no-checkpoint", "no-sandbox", "no-listing");
    assertThat(agent.logs.lines("t1", LogSource.STDERR)).hasSize(5).allMatch(line -> line.endsWith(
        "Permission denied"));
    assertThat(Files.getOwner(agent.sandbox("t1")).getName()).isEqualTo("nobody");
    assertThat(Files.getOwner(agent.sandbox("other")).getName()).isEqualTo("daemon");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.sandbox("t1")))).isEqualTo(
        "rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpoints))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpoints.resolve("other.json"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve("artifacts"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandboxes))).isEqualTo("rwx--x--x");

    // A JVM on the agent's own classpath (jars in a Maven repository only root may enter) runs as the task's user.
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    agent.executor.launch(task("jvm").memMb(256).shell("exec '" + java + "' -Xmx32m -XX:+UseSerialGC "
        + "-XX:TieredStopAtLevel=1 -cp \"$" + ClasspathMirror.ENV + "\" " + WhoAmIMain.class.getName()).build());
    agent.statuses.await("jvm", FINISHED);
    assertThat(agent.logs.lines("jvm", LogSource.STDOUT)).containsExactly("a JVM as nobody");

    // A JVM on a classpath of its own (a Spark job's: DIR/* of jars where only root may enter), given as the task's
    // KOS_CLASSPATH as CommandSpec.jvm gives it: it runs from a copy in its sandbox, where no other user can go.
    Path rootOnly = Files.createDirectories(workDir.resolve("root-only/lib"));
    Files.setPosixFilePermissions(rootOnly.getParent(), PosixFilePermissions.fromString("rwx------"));
    Path classFile = Path.of(WhoAmIMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(WhoAmIMain.class.getName().replace('.', '/') + ".class");
    try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(rootOnly.resolve("whoami.jar")))) {
      jar.putNextEntry(new java.util.jar.JarEntry(WhoAmIMain.class.getName().replace('.', '/') + ".class"));
      jar.write(Files.readAllBytes(classFile));
      jar.closeEntry();
    }
    dev.kos.model.CommandSpec jvm = dev.kos.model.CommandSpec.jvm(java.toString(), List.of("-Xmx32m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", WhoAmIMain.class.getName()), rootOnly + "/*");
    agent.executor.launch(task("own-jvm").memMb(256).argv(jvm.argv().toArray(String[]::new))
        .env(ClasspathMirror.ENV, jvm.env().get(ClasspathMirror.ENV)).build());
    agent.statuses.await("own-jvm", FINISHED);
    assertThat(agent.logs.lines("own-jvm", LogSource.STDOUT)).containsExactly("a JVM as nobody");
  }

  @Test
  void shouldNotStartWithATaskUserTheHostDoesNotKnow(@TempDir Path otherWorkDir) {
    assertThatThrownBy(() -> new AgentHarness(otherWorkDir, config -> config.withTaskUser("no-such-kos-user")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("agent a1 cannot start: --task-user no-such-kos-user: user no-such-kos-user does not exist on "
            + "this agent's host");
  }

  @Test
  void shouldFailATaskWhoseUserTheHostDoesNotKnow() {
    agent.executor.launch(task("t1").user("no-such-kos-user").shell("true").build());

    StatusUpdate failed = agent.statuses.await("t1", FAILED);
    assertThat(failed.message()).isEqualTo("cannot start the task's process: user no-such-kos-user does not exist "
        + "on this agent's host");
  }

  @Test
  void shouldRunAnArgvWithTheTasksEnvironmentAndPorts() {
    agent.executor.launch(task("t1").argv("/usr/bin/env").port(31005, "http").env("GREETING", "hi").build());

    agent.statuses.await("t1", FINISHED);

    assertThat(agent.logs.lines("t1", LogSource.STDOUT)).contains("KOS_TASK_ID=t1", "PORT0=31005",
        "PORT_HTTP=31005", "KOS_MEM=64", "GREETING=hi", "KOS_SANDBOX=" + agent.sandbox("t1"));
  }

  @Test
  void shouldFailWithTheExitCodeAndTheLastLinesOfStderr() {
    agent.executor.launch(task("t1").shell("echo first >&2; echo last words >&2; exit 3").build());

    StatusUpdate failed = agent.statuses.await("t1", FAILED);

    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.message()).startsWith("exited with code 3").contains("first\nlast words");
  }

  @Test
  void shouldKillTheWholeProcessTreeAndReportKilled() {
    agent.executor.launch(task("t1").shell("sleep 300 & sleep 300 & wait").build());
    agent.statuses.await("t1", RUNNING);
    List<ProcessHandle> tree = awaitTree(4);

    agent.executor.kill(new KillRequest("t1", "fw-1", Duration.ofSeconds(10)));

    assertThat(agent.statuses.await("t1", KILLED).message()).contains("framework's request");
    Await.until(() -> tree.stream().noneMatch(ProcessHandle::isAlive), DEADLINE, "a process of the task survived");
  }

  @Test
  void shouldNotLeaveABackgroundChildBehindWhenTheTaskEnds() throws Exception {
    agent.executor.launch(task("t1").shell("sleep 300 & echo $! > background.pid").build());

    agent.statuses.await("t1", FINISHED);

    long backgroundPid = Long.parseLong(Files.readString(agent.sandbox("t1").resolve("background.pid")).trim());
    Await.until(() -> ProcessHandle.of(backgroundPid).map(ProcessHandle::isAlive).orElse(false) == false,
        DEADLINE, "the task's background child survived the task");
  }

  @Test
  void shouldEscalateToSigkillWhenTheTaskIgnoresSigterm() {
    agent.executor.launch(task("t1").shell("trap '' TERM; sleep 300").build());
    agent.statuses.await("t1", RUNNING);
    List<ProcessHandle> tree = awaitTree(3);

    agent.executor.kill(new KillRequest("t1", "fw-1", Duration.ofMillis(300)));

    agent.statuses.await("t1", KILLED);
    Await.until(() -> tree.stream().noneMatch(ProcessHandle::isAlive), DEADLINE, "a process of the task survived");
  }

  @Test
  void shouldAnswerBadInputWithAnErrorStatusAndGoOn() {
    agent.executor.createVolume(new VolumeSpec("v1", "db", 0, "data"));

    StatusUpdate noCommand = agent.executor.launch(task("no-command").noCommand().build());
    StatusUpdate tooBig = agent.executor.launch(task("too-big").memMb(4096).build());
    StatusUpdate badPort = agent.executor.launch(task("bad-port").port(8080, "http").build());
    StatusUpdate otherRole = agent.executor.launch(task("other-role").volume("v1", "web", "data").build());

    assertThat(List.of(noCommand, tooBig, badPort, otherRole)).extracting(StatusUpdate::state)
        .containsOnly(ERROR);
    assertThat(noCommand.message()).contains("invalid command");
    assertThat(tooBig.message()).contains("not enough resources", "mem wanted 4096.0");
    assertThat(badPort.message()).contains("port 8080 is not in this agent's port ranges");
    assertThat(otherRole.message()).isEqualTo("volume v1 belongs to role db, not web");
    assertThat(agent.statuses.statesOf("too-big")).containsExactly(ERROR);
    assertThat(agent.executor.usedResources().memMb()).isZero();

    agent.executor.launch(task("good").build());
    agent.statuses.await("good", FINISHED);
  }

  @Test
  void shouldRefuseAnUnreadableLaunchWithAnErrorButNeverEndARunningTaskOfTheSameId() {
    agent.executor.launch(task("t1").shell("sleep 60").build());
    agent.statuses.await("t1", RUNNING);

    Optional<StatusUpdate> duplicate = agent.executor.refuse(new TaskRef("t1", "fw-1", null), "bad volume id");
    Optional<StatusUpdate> fresh = agent.executor.refuse(new TaskRef("../x", "fw-1", null), "bad task id");

    assertThat(duplicate).isEmpty();
    assertThat(agent.statuses.statesOf("t1")).containsExactly(STARTING, RUNNING);
    assertThat(fresh).get().satisfies(error -> {
      assertThat(error.state()).isEqualTo(ERROR);
      assertThat(error.message()).isEqualTo("bad task id");
    });
    assertThat(agent.statuses.statesOf("../x")).containsExactly(ERROR);
  }

  @Test
  void shouldNotLaunchAKnownTaskTwice() {
    agent.executor.launch(task("t1").shell("echo once").build());
    agent.statuses.await("t1", FINISHED);

    StatusUpdate again = agent.executor.launch(task("t1").shell("echo once").build());

    assertThat(again.state()).isEqualTo(FINISHED);
    assertThat(agent.logs.lines("t1", LogSource.STDOUT)).containsExactly("once");
  }

  @Test
  void shouldReconcileKnownAndUnknownTasks() {
    agent.executor.launch(task("t1").shell("sleep 300").build());
    agent.statuses.await("t1", RUNNING);

    List<StatusUpdate> answer = agent.executor.reconcile(List.of("t1", "nope"), "fw-1");

    assertThat(answer).extracting(StatusUpdate::taskId, StatusUpdate::state)
        .containsExactly(tuple("t1", RUNNING),
            tuple("nope", LOST));
    assertThat(answer.get(1).message()).isEqualTo("task nope is not known on agent a1");
  }

  @Test
  void shouldSampleCpuAndMemoryOfARunningTask() {
    agent.executor.launch(task("t1").shell("while :; do :; done").build());
    agent.statuses.await("t1", RUNNING);

    TaskUsage usage = Await.until(() -> agent.executor.sampleUsage().stream()
            .filter(sample -> sample.cpuTime().compareTo(Duration.ofMillis(50)) > 0).findFirst(),
        DEADLINE, () -> "no cpu time was sampled");

    assertThat(usage.task().taskId()).isEqualTo("t1");
    assertThat(usage.rssBytes()).isPositive();
    assertThat(usage.processes()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldFailATaskOverItsMemoryWithTheReason() {
    // A shell variable of ~100 MiB stays resident while the task sleeps.
    agent.executor.launch(task("t1").memMb(32)
        .shell("x=$(head -c 100000000 /dev/zero | tr '\\0' a); sleep 300").build());

    StatusUpdate failed = agent.statuses.await("t1", FAILED);

    assertThat(failed.message()).contains("memory");
    if (agent.executor.limitEnforcement() == LimitEnforcement.WATCHDOG) {
      assertThat(failed.message()).contains("memory watchdog", "limit of 32.0 MiB");
    }
  }

  /** The wrapper and its descendants, once at least {@code size} processes are up. */
  private static List<ProcessHandle> awaitTree(int size) {
    return Await.until(() -> {
      List<ProcessHandle> all = AgentHarness.taskProcesses();
      return all.size() >= size ? Optional.of(all) : Optional.empty();
    }, DEADLINE, () -> "the task's process tree did not come up");
  }
}
