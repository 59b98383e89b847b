package dev.kos.agent.checkpoint;

import dev.kos.agent.lifecycle.TaskLifecycle;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskSpec;
import java.time.Instant;

/**
 * What a restarted agent needs to find a task again: the task, its sandbox, the wrapper's pid and
 * start time (together they tell a live task from a reused pid), its lifecycle and the last
 * status it reported. {@code pid} and {@code processStart} are null until the process has started.
 */
public record TaskCheckpoint(
    TaskSpec task,
    String sandbox,
    Long pid,
    Instant processStart,
    TaskLifecycle lifecycle,
    StatusUpdate lastStatus) {
}
