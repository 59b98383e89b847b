package dev.kos.agent.limits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Which enforcement this agent has, decided once at start-up, and the cgroups when that is it. */
public final class Limits {
  private final LimitEnforcement enforcement;
  private final CgroupV2 cgroup;

  private Limits(LimitEnforcement enforcement, CgroupV2 cgroup) {
    this.enforcement = enforcement;
    this.cgroup = cgroup;
  }

  /**
   * cgroup v2 when the agent may make child cgroups; else the watchdog where /proc exists; else
   * none. {@code cgroupMount} null means: find the cgroup v2 mount in /proc/self/mounts.
   */
  public static Limits detect(Path cgroupMount, boolean allowCgroups) {
    if (allowCgroups) {
      Optional<CgroupV2> cgroup = cgroupMount == null
          ? CgroupV2.detect()
          : CgroupV2.detect(cgroupMount, Path.of("/proc/self/cgroup"));
      if (cgroup.isPresent()) {
        return new Limits(LimitEnforcement.CGROUP_V2, cgroup.get());
      }
    }
    return Files.isDirectory(Path.of("/proc/self"))
        ? new Limits(LimitEnforcement.WATCHDOG, null)
        : new Limits(LimitEnforcement.NONE, null);
  }

  public LimitEnforcement enforcement() {
    return enforcement;
  }

  public Optional<CgroupV2> cgroup() {
    return Optional.ofNullable(cgroup);
  }
}
