package dev.kos.frameworks.jobs.core;

import java.time.Duration;

/** What the shell must do after a plan, in order. */
public sealed interface JobDecision {

  /** Launch attempt {@code taskId} of {@code job} on the offer (several launches may share one offer). */
  record Launch(String offerId, String agentId, String taskId, JobDefinition job) implements JobDecision {
  }

  record Kill(String agentId, String taskId, String reason) implements JobDecision {
  }

  record Decline(String offerId, Duration refuse) implements JobDecision {
  }
}
