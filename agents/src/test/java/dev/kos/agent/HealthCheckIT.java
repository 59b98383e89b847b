package dev.kos.agent;

import static dev.kos.model.TaskState.RUNNING;
import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.model.PortRange;
import dev.kos.agent.testing.AgentHarness;
import dev.kos.agent.testing.HealthEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each protocol against a real socket or process: healthy first, then unhealthy, reported once each. */
class HealthCheckIT {
  @TempDir
  Path workDir;
  AgentHarness agent;

  @AfterEach
  void stopAgent() {
    agent.close();
    AgentHarness.killAllTasks(workDir);
  }

  private static HealthCheckSpec check(HealthProtocol protocol, String command, String path) {
    return new HealthCheckSpec(protocol, command, path, 0, Duration.ZERO, Duration.ofMillis(100),
        Duration.ofSeconds(2), 2);
  }

  private void awaitHealthFlip(String taskId, Runnable breakIt) {
    agent.statuses.await(taskId, status -> Boolean.TRUE.equals(status.healthy()), "healthy=true");
    breakIt.run();
    agent.statuses.await(taskId, status -> Boolean.FALSE.equals(status.healthy()), "healthy=false");

    assertThat(agent.statuses.of(taskId)).filteredOn(status -> status.healthy() != null)
        .extracting(status -> status.healthy()).containsExactly(true, false);
    assertThat(agent.statuses.of(taskId)).allMatch(status -> status.state().compareTo(RUNNING) <= 0,
        "the agent never kills on unhealthy");
  }

  @Test
  void shouldSeeAnHttpEndpointStartFailing() throws Exception {
    int port = AgentHarness.freePort();
    agent = new AgentHarness(workDir, List.of(new PortRange(port, port)));
    try (HealthEndpoint endpoint = new HealthEndpoint(port)) {
      agent.executor.launch(task("t1").shell("sleep 300").port(port, "http")
          .healthCheck(check(HealthProtocol.HTTP, null, "/health")).build());

      awaitHealthFlip("t1", () -> endpoint.answer(503));
    }
  }

  @Test
  void shouldSeeATcpPortClose() throws Exception {
    int port = AgentHarness.freePort();
    agent = new AgentHarness(workDir, List.of(new PortRange(port, port)));
    ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    agent.executor.launch(task("t1").shell("sleep 300").port(port, "tcp")
        .healthCheck(check(HealthProtocol.TCP, null, null)).build());

    awaitHealthFlip("t1", () -> closeQuietly(listener));
  }

  @Test
  void shouldRunACommandCheckInTheTasksSandbox() {
    agent = new AgentHarness(workDir);
    // A grace period, because the task creates the file the check looks for only once it runs:
    // without one, a busy machine can fail the first two checks before `touch` and flip to unhealthy.
    HealthCheckSpec check = new HealthCheckSpec(HealthProtocol.COMMAND,
        "test -f \"$KOS_SANDBOX/ready\" && test -f ready", null, 0, Duration.ofSeconds(3), Duration.ofMillis(100),
        Duration.ofSeconds(2), 2);
    agent.executor.launch(task("t1").shell("touch ready; sleep 300").healthCheck(check).build());

    awaitHealthFlip("t1", () -> deleteQuietly(agent.sandbox("t1").resolve("ready")));
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
