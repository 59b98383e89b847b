package dev.kos.frameworks.apps.core;

/** An instance's state: the task states agents report, plus KILLING once the framework asked for a kill. */
public enum InstanceState {
  STAGING, STARTING, RUNNING, KILLING, FINISHED, FAILED, KILLED, LOST, DROPPED, ERROR;

  /** Launched and not yet ended, and not on its way out. */
  public boolean isLive() {
    return this == STAGING || this == STARTING || this == RUNNING;
  }

  /** Ended: the instance's slot may be relaunched. */
  public boolean isTerminal() {
    return ordinal() > KILLING.ordinal();
  }

  /**
   * Whether a report of this state on a task in state {@code current} is news. Statuses only move a task
   * forward (STAGING, STARTING, RUNNING, then an end); a late report of an earlier state is stale. DROPPED
   * answers an accept, so it ends only a task still STAGING: once an agent reported on the task, a DROPPED
   * for its id answers a repeated accept (a replay, a restarted framework) and the task runs on.
   */
  public boolean movesForwardFrom(InstanceState current) {
    if (this == DROPPED) {
      return current == STAGING;
    }
    return isTerminal() || ordinal() >= current.ordinal();
  }
}
