package dev.kos.agent;

import dev.kos.agent.model.ResourceSet;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent's local settings. {@code workDir} holds {@code sandboxes/}, {@code volumes/} and
 * {@code checkpoints/}; it must survive agent restarts for recovery to work.
 *
 * @param logPollInterval how often task output files are shipped
 * @param monitorInterval how often the memory watchdog samples tasks
 * @param stderrTailLines how many stderr lines a FAILED status carries
 * @param cgroupMount where the cgroup v2 hierarchy is mounted; null to find it in /proc/self/mounts
 * @param allowCgroups false forces the watchdog even where cgroups would work
 */
public record AgentConfig(
    String agentId,
    Path workDir,
    ResourceSet resources,
    Duration logPollInterval,
    Duration monitorInterval,
    int stderrTailLines,
    Path cgroupMount,
    boolean allowCgroups) {

  public static AgentConfig of(String agentId, Path workDir, ResourceSet resources) {
    return new AgentConfig(agentId, workDir, resources, Duration.ofMillis(200), Duration.ofSeconds(1), 20,
        null, true);
  }

  public AgentConfig withMonitorInterval(Duration interval) {
    return new AgentConfig(agentId, workDir, resources, logPollInterval, interval, stderrTailLines,
        cgroupMount, allowCgroups);
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
}
