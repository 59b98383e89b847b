package dev.kos.agent.limits;

/** Which {@link KillMethod} an agent uses, from what its host offers: decided once, at start-up. */
public final class KillMethods {
  private KillMethods() {
  }

  /**
   * What the host offers the agent.
   *
   * @param cgroupsAllowed false when the agent was told not to use cgroups
   * @param v2LimitCgroups tasks get cgroup v2 cgroups for their limits (a process is in one v2 cgroup only)
   * @param v1Freezer the agent can make cgroups in a v1 freezer hierarchy
   */
  public record HostCgroups(boolean cgroupsAllowed, boolean v2LimitCgroups, boolean v1Freezer) {
  }

  /**
   * The v2 cgroup when tasks have one anyway (a task can be in only one v2 cgroup, and the one
   * with its limits holds all its processes); else the v1 freezer, as on hybrid hosts whose v2
   * hierarchy has no controllers; else the process group.
   */
  public static KillMethod choose(HostCgroups host) {
    if (!host.cgroupsAllowed()) {
      return KillMethod.PROCESS_GROUP;
    }
    if (host.v2LimitCgroups()) {
      return KillMethod.CGROUP_V2;
    }
    return host.v1Freezer() ? KillMethod.CGROUP_V1_FREEZER : KillMethod.PROCESS_GROUP;
  }
}
