package dev.kos.agent.limits;

import dev.kos.agent.limits.KillMethods.HostCgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How this agent enforces limits and kills tasks, decided once at start-up, with the cgroups
 * that go with them: cgroup v2 ones hold a task's limits and its processes; v1 freezer ones only
 * its processes.
 */
public final class Limits {
  private final LimitEnforcement enforcement;
  private final CgroupV2 cgroup;
  private final KillMethod killMethod;
  private final TaskCgroups taskCgroups;

  Limits(LimitEnforcement enforcement, CgroupV2 cgroup, KillMethod killMethod, TaskCgroups taskCgroups) {
    this.enforcement = enforcement;
    this.cgroup = cgroup;
    this.killMethod = killMethod;
    this.taskCgroups = taskCgroups;
  }

  /**
   * Limits: cgroup v2 when the agent may make child cgroups; else the watchdog where /proc exists;
   * else none. Kills: as {@link KillMethods#choose} says. {@code cgroupMount} null means: find the
   * cgroup v2 mount in /proc/self/mounts; {@code scope} names the agent's task cgroups
   * ({@link dev.kos.agent.AgentConfig#cgroupScope}).
   */
  public static Limits detect(String scope, Path cgroupMount, boolean allowCgroups) {
    Optional<CgroupV2> v2 = !allowCgroups ? Optional.empty() : cgroupMount == null
        ? CgroupV2.detect(scope)
        : CgroupV2.detect(cgroupMount, Path.of("/proc/self/cgroup"), scope);
    Optional<FreezerCgroups> freezer = !allowCgroups || v2.isPresent()
        ? Optional.empty() : FreezerCgroups.detect(scope);
    KillMethod kill = KillMethods.choose(new HostCgroups(allowCgroups, v2.isPresent(), freezer.isPresent()));
    TaskCgroups holder = switch (kill) {
      case CGROUP_V2 -> v2.orElseThrow();
      case CGROUP_V1_FREEZER -> freezer.orElseThrow();
      case PROCESS_GROUP -> null;
    };
    if (v2.isPresent()) {
      return new Limits(LimitEnforcement.CGROUP_V2, v2.get(), kill, holder);
    }
    return new Limits(Files.isDirectory(Path.of("/proc/self")) ? LimitEnforcement.WATCHDOG : LimitEnforcement.NONE,
        null, kill, holder);
  }

  public LimitEnforcement enforcement() {
    return enforcement;
  }

  /** The cgroup v2 cgroups that hold tasks' limits, when limits are enforced that way. */
  public Optional<CgroupV2> cgroup() {
    return Optional.ofNullable(cgroup);
  }

  public KillMethod killMethod() {
    return killMethod;
  }

  /** The cgroups tasks run in to be killed whole; none under {@link KillMethod#PROCESS_GROUP}. */
  public Optional<TaskCgroups> taskCgroups() {
    return Optional.ofNullable(taskCgroups);
  }
}
