package dev.kos.agent.limits;

/**
 * How this agent makes sure every process of a task dies with it; its label goes into the agent's
 * report. A cgroup holds every process the task ever forks, whatever session, process group or
 * parent it moved to; a process group does not hold a process that called setsid, and a tree
 * walk does not find one that a double fork re-parented.
 */
public enum KillMethod {
  /** The task runs in its own cgroup v2 (the one that holds its limits): cgroup.kill, or freeze and kill. */
  CGROUP_V2("cgroup-v2"),
  /** The task runs in its own cgroup of the v1 freezer hierarchy: freeze, kill every member, thaw. */
  CGROUP_V1_FREEZER("cgroup-v1-freezer"),
  /** No usable cgroup: the task's process tree and process group are killed; escaped processes survive. */
  PROCESS_GROUP("process-group");

  private final String label;

  KillMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
