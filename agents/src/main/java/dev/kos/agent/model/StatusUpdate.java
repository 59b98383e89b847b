package dev.kos.agent.model;

import dev.kos.model.TaskState;
import java.time.Instant;

/**
 * A task's state change or health change, as the agent reports it. {@code message}, {@code exitCode},
 * {@code healthy}, {@code appId} and {@code limitEnforcement} may be null.
 */
public record StatusUpdate(
    String taskId,
    String frameworkId,
    String appId,
    TaskState state,
    String message,
    Integer exitCode,
    Boolean healthy,
    ResourceSet resources,
    String limitEnforcement,
    Instant timestamp) {
}
