package dev.kos.agent.testing;

import dev.kos.agent.AgentConfig;
import dev.kos.agent.AgentExecutor;
import dev.kos.agent.checkpoint.CheckpointStore;
import dev.kos.agent.process.ProcessTree;
import dev.kos.agent.exec.TaskLease;
import dev.kos.agent.limits.FreezerCgroups;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One agent executor on a work dir, with recording sinks. {@link #killAllTasks} ends every task
 * process this test JVM started, so that a failing test leaves nothing running on the host.
 */
public final class AgentHarness implements AutoCloseable {
  public final Path workDir;
  public final RecordingStatusSink statuses = new RecordingStatusSink();
  public final RecordingLogSink logs = new RecordingLogSink();
  public final AgentExecutor executor;

  public AgentHarness(Path workDir, List<PortRange> ports) {
    this(workDir, ports, null);
  }

  /** @param checkpoints the store to keep checkpoints in; null for the usual one in the work dir */
  public AgentHarness(Path workDir, List<PortRange> ports, CheckpointStore checkpoints) {
    this(workDir, ports, checkpoints, TaskLease.OFF);
  }

  /** An agent whose tasks kill themselves once it stops renewing {@code lease} (closing it stops that). */
  public AgentHarness(Path workDir, TaskLease lease) {
    this(workDir, List.of(new PortRange(31000, 31010)), null, lease);
  }

  /** An agent whose config is the usual one changed by {@code configure} (e.g. another task user). */
  public AgentHarness(Path workDir, UnaryOperator<AgentConfig> configure) {
    this(workDir, List.of(new PortRange(31000, 31010)), null, TaskLease.OFF, configure);
  }

  private AgentHarness(Path workDir, List<PortRange> ports, CheckpointStore checkpoints, TaskLease lease) {
    this(workDir, ports, checkpoints, lease, UnaryOperator.identity());
  }

  private AgentHarness(Path workDir, List<PortRange> ports, CheckpointStore checkpoints, TaskLease lease,
      UnaryOperator<AgentConfig> configure) {
    this.workDir = workDir;
    AgentConfig config = configure.apply(AgentConfig.of("a1", workDir, new ResourceSet(2, 1024, 1000, ports))
        .withMonitorInterval(Duration.ofMillis(100))
        .withTaskLease(lease));
    this.executor = checkpoints == null
        ? AgentExecutor.start(config, Clock.systemUTC(), statuses, logs)
        : AgentExecutor.start(config, Clock.systemUTC(), statuses, logs, checkpoints);
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

  /**
   * Kills every process this JVM started except the test broker, which later tests share. The broker
   * is the one child that runs this JVM's own java (its command line is too long to be read back whole).
   * A wrapper's process group goes first: it also holds a child the wrapper forks while we look.
   */
  public static void killAllTasks() {
    ProcessHandle.current().children()
        .filter(child -> !isTestBroker(child))
        .forEach(child -> {
          ProcessTree.killGroup(child.pid());
          ProcessTree.kill(child);
        });
  }

  /**
   * {@link #killAllTasks()}, then kills and removes the task cgroups of agent a1 on {@code workDir}
   * (tests leave tasks running on purpose when they stop an agent), so tests leave no cgroups behind.
   */
  public static void killAllTasks(Path workDir) {
    killAllTasks();
    String scope = AgentConfig.of("a1", workDir, new ResourceSet(0, 0, 0, List.of())).cgroupScope();
    FreezerCgroups.detect(scope).ifPresent(cgroups -> {
      for (String taskId : cgroups.taskIds()) {
        cgroups.killAll(taskId);
        cgroups.remove(taskId);
      }
      cgroups.release();
    });
  }

  /** Every process this JVM started and their descendants, except the test broker. */
  public static List<ProcessHandle> taskProcesses() {
    return ProcessHandle.current().children()
        .filter(child -> !isTestBroker(child))
        .flatMap(child -> Stream.concat(Stream.of(child), child.descendants()))
        .toList();
  }

  private static boolean isTestBroker(ProcessHandle process) {
    return process.info().command().equals(ProcessHandle.current().info().command());
  }

  @Override
  public void close() {
    executor.close();
  }
}
