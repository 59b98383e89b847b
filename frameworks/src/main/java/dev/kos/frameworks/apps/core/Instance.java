package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One instance of an app as the framework knows it. Its current task is {@code instanceId.attempt}.
 *
 * @param healthChecked whether its version has health checks: if not, RUNNING counts as healthy
 * @param failures how many times in a row it ended without being asked to (reset once healthy)
 * @param failedAt when it last ended without being asked to
 * @param ports the host ports its task was launched with, in the order of the app's port definitions
 */
public record Instance(String instanceId, String appId, String version, Agent agent, int attempt,
    InstanceState state, boolean healthChecked, boolean healthy, Instant launchedAt, int failures,
    Optional<Instant> failedAt, Optional<Residency> residency, List<Integer> ports) {

  public Instance {
    ports = List.copyOf(ports);
  }

  public String taskId() {
    return taskId(instanceId, attempt);
  }

  public static String taskId(String instanceId, int attempt) {
    return instanceId + "." + attempt;
  }

  /** The instance id of a task id made by {@link #taskId(String, int)}. */
  public static String instanceIdOf(String taskId) {
    int dot = taskId.lastIndexOf('.');
    return dot < 0 ? taskId : taskId.substring(0, dot);
  }

  /** Whether it takes traffic now: RUNNING, and healthy if its version has health checks. */
  public boolean serves() {
    return state == InstanceState.RUNNING && (healthy || !healthChecked);
  }

  public boolean isHealthyAndRunning() {
    return state == InstanceState.RUNNING && healthy;
  }

  Instance withState(InstanceState next, boolean nextHealthy) {
    return new Instance(instanceId, appId, version, agent, attempt, next, healthChecked, nextHealthy, launchedAt,
        nextHealthy ? 0 : failures, failedAt, residency, ports);
  }

  Instance failed(InstanceState next, Instant at) {
    return new Instance(instanceId, appId, version, agent, attempt, next, healthChecked, false, launchedAt,
        failures + 1, Optional.of(at), residency, ports);
  }

  Instance withoutResidency() {
    return new Instance(instanceId, appId, version, agent, attempt, state, healthChecked, healthy, launchedAt,
        failures, failedAt, Optional.empty(), ports);
  }
}
