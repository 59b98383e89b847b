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
}
