package dev.kos.frameworks.jobs.core;

/** The answer to a run-job command. */
public sealed interface Submitted {

  record Accepted(Step step) implements Submitted {
  }

  record Rejected(String reason) implements Submitted {
  }
}
