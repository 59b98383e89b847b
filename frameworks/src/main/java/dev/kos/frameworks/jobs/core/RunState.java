package dev.kos.frameworks.jobs.core;

/** Where a run of a job is. */
public enum RunState {
  /** Waiting for an offer, or for its retry backoff to pass. */
  WAITING,
  /** An attempt was launched; the agent has not said it runs yet. */
  LAUNCHED,
  RUNNING,
  /** Past its deadline; a kill was sent and its end is awaited. */
  KILLING,
  FINISHED,
  FAILED;

  public boolean ended() {
    return this == FINISHED || this == FAILED;
  }

  /** An attempt holds resources on an agent. */
  public boolean onAgent() {
    return this == LAUNCHED || this == RUNNING || this == KILLING;
  }
}
