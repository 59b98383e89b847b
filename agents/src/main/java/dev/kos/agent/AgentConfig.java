package dev.kos.agent;

import dev.kos.agent.exec.TaskLease;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.fetch.FetchSettings;
import dev.kos.agent.model.ResourceSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The agent's local settings. {@code workDir} holds {@code sandboxes/}, {@code volumes/},
 * {@code checkpoints/} and the lease file; it must survive agent restarts for recovery to work.
 *
 * @param logPollInterval how often task output files are shipped
 * @param monitorInterval how often the memory watchdog samples tasks
 * @param stderrTailLines how many stderr lines a FAILED status carries
 * @param cgroupMount where the cgroup v2 hierarchy is mounted; null to find it in /proc/self/mounts
 * @param allowCgroups false forces the watchdog even where cgroups would work
 * @param taskLease how long tasks outlive an agent that stops renewing its lease ({@link TaskLease#OFF}: for ever)
 * @param allowContainers false runs processes only even where runc is installed
 * @param fetch how the artifact fetcher fetches: cache and unpack limits, stall timeout, retries
 * @param taskUser the user tasks that name none run as: {@code agent}, {@code auto} or a user name
 *     ({@link dev.kos.agent.exec.TaskUsers})
 */
public record AgentConfig(
    String agentId,
    Path workDir,
    ResourceSet resources,
    Duration logPollInterval,
    Duration monitorInterval,
    int stderrTailLines,
    Path cgroupMount,
    boolean allowCgroups,
    TaskLease taskLease,
    boolean allowContainers,
    FetchSettings fetch,
    String taskUser) {

  public AgentConfig {
    if (taskLease == null) {
      throw new IllegalArgumentException("agent config needs a task lease (TaskLease.OFF for none)");
    }
    if (fetch == null) {
      throw new IllegalArgumentException("agent config needs fetch settings (FetchSettings.DEFAULTS)");
    }
    if (taskUser == null || taskUser.isBlank()) {
      throw new IllegalArgumentException("agent config needs a task user (TaskUsers.DEFAULT_SETTING)");
    }
  }

  /** An executor's defaults; no task lease (the `kos agent` command sets one). */
  public static AgentConfig of(String agentId, Path workDir, ResourceSet resources) {
    return new AgentConfig(agentId, workDir, resources, Duration.ofMillis(200), Duration.ofSeconds(1), 20,
        null, true, TaskLease.OFF, true, FetchSettings.DEFAULTS, TaskUsers.DEFAULT_SETTING);
  }

  public AgentConfig withMonitorInterval(Duration interval) {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, interval, stderrTailLines,
        cgroupMount, allowCgroups, taskLease, allowContainers, fetch, taskUser);
  }

  public AgentConfig withTaskLease(TaskLease lease) {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, monitorInterval, stderrTailLines,
        cgroupMount, allowCgroups, lease, allowContainers, fetch, taskUser);
  }

  /** An agent that runs processes only, as one without runc does. */
  public AgentConfig withoutContainers() {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, monitorInterval, stderrTailLines,
        cgroupMount, allowCgroups, taskLease, false, fetch, taskUser);
  }

  public AgentConfig withFetch(FetchSettings settings) {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, monitorInterval, stderrTailLines,
        cgroupMount, allowCgroups, taskLease, allowContainers, settings, taskUser);
  }

  /** Tasks that name no user run as {@code user} ({@code agent}, {@code auto} or a name). */
  public AgentConfig withTaskUser(String user) {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, monitorInterval, stderrTailLines,
        cgroupMount, allowCgroups, taskLease, allowContainers, fetch, user);
  }

  /** The file the agent renews while it lives and its tasks' wrappers watch ({@link TaskLease}). */
  public Path leaseFile() {
    return workDir.resolve(TaskLease.FILE_NAME);
  }

  public Path sandboxes() {
    return workDir.resolve("sandboxes");
  }

  public Path volumes() {
    return workDir.resolve("volumes");
  }

  public Path checkpoints() {
    return workDir.resolve("checkpoints");
  }

  /** Fetched artifacts, by sha256: the agent's alone (an artifact may hold a task's secret). */
  public Path artifacts() {
    return workDir.resolve("artifacts");
  }

  /**
   * Names this agent's task cgroups: its id and a digest of its work dir. The tasks of an agent
   * are the ones checkpointed in its work dir, and a restart on the same work dir finds the same
   * cgroups; two agents that share an id on one host (tests) never sweep each other's.
   */
  public String cgroupScope() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(workDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return agentId + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
