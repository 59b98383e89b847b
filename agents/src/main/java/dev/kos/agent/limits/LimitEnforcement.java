package dev.kos.agent.limits;

/** How this agent holds tasks to their cpu and memory; its label goes into every task status. */
public enum LimitEnforcement {
  /** The kernel enforces cpu.max and memory.max in a cgroup per task. */
  CGROUP_V2("cgroup-v2"),
  /** The agent samples each task's RSS and kills a task over its memory; cpu is not limited. */
  WATCHDOG("watchdog"),
  /** Nothing is enforced. */
  NONE("none");

  private final String label;

  LimitEnforcement(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
