package dev.kos.agent.testing;

import dev.kos.agent.AgentConfig;
import dev.kos.agent.AgentExecutor;
import dev.kos.agent.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One agent executor on a work dir, with recording sinks. {@link #killAllTasks} ends every process
 * this test JVM started, so that a failing test leaves nothing running on the host.
 */
public final class AgentHarness implements AutoCloseable {
  public final Path workDir;
  public final RecordingStatusSink statuses = new RecordingStatusSink();
  public final RecordingLogSink logs = new RecordingLogSink();
  public final AgentExecutor executor;

  public AgentHarness(Path workDir, List<PortRange> ports) {
    this.workDir = workDir;
    AgentConfig config = AgentConfig.of("a1", workDir, new ResourceSet(2, 1024, 1000, ports))
        .withMonitorInterval(Duration.ofMillis(100));
    this.executor = AgentExecutor.start(config, Clock.systemUTC(), statuses, logs);
  }

  public AgentHarness(Path workDir) {
    this(workDir, List.of(new PortRange(31000, 31010)));
  }

  public Path sandbox(String taskId) {
    return workDir.resolve("sandboxes").resolve(taskId);
  }

  /** A port nobody listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void killAllTasks() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    executor.close();
  }
}
