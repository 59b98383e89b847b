package dev.kos.agent.model;

import java.time.Duration;

/** Stop a task: SIGTERM, then SIGKILL after the grace period. */
public record KillRequest(String taskId, String frameworkId, Duration gracePeriod) {
}
