package dev.kos.frameworks.jobs.core;

import java.util.List;
import java.util.Map;

/** The jobs after one step of the core, what the shell must do, and what users should hear. */
public record Step(Map<String, Job> jobs, List<JobDecision> decisions, List<JobEvent> events) {

  public Step {
    jobs = Map.copyOf(jobs);
    decisions = List.copyOf(decisions);
    events = List.copyOf(events);
  }
}
