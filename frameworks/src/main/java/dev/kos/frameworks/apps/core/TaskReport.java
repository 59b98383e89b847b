package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.Optional;

/**
 * An agent's report on one task: its state, and its health when a check has run.
 *
 * @param unknownToKos the report is a reconciliation's answer that kos has no record of the task (no agent
 *     reported on it yet): for a task just launched that is no news, as its launch may still be on its way
 */
public record TaskReport(String taskId, InstanceState state, Optional<Boolean> healthy, Instant at,
    boolean unknownToKos) {

  public TaskReport(String taskId, InstanceState state, Optional<Boolean> healthy, Instant at) {
    this(taskId, state, healthy, at, false);
  }
}
