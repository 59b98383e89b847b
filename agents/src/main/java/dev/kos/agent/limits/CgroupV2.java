package dev.kos.agent.limits;

import dev.kos.agent.model.ResourceSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task cgroups under a parent cgroup the agent may write, with cpu.max and memory.max, named
 * {@code kos-<scope>@<taskId>} (the scope: the agent's id, which has no '@', and a digest of its
 * work dir, so an agent finds its own cgroups and no other's).
 * {@link #detect} only says yes after it created and removed a probe child that has both
 * controllers, so a read-only or v1-only host falls back to the watchdog instead of failing tasks.
 * They also hold every process of the task for {@link #killAll}: cgroup.kill, or freeze and kill.
 */
public final class CgroupV2 implements TaskCgroups {
  private static final Logger log = LoggerFactory.getLogger(CgroupV2.class);
  private static final long CPU_PERIOD_US = 100_000;
  private static final long MIN_CPU_QUOTA_US = 1_000;
  private static final Set<String> NEEDED = Set.of("cpu", "memory");

  private static final CgroupFiles.Freezer FREEZER = new CgroupFiles.Freezer() {
    @Override
    public void freeze(Path cgroup) throws IOException {
      Files.writeString(cgroup.resolve("cgroup.freeze"), "1");
    }

    @Override
    public boolean frozen(Path cgroup) throws IOException {
      return Files.readAllLines(cgroup.resolve("cgroup.events")).contains("frozen 1");
    }

    @Override
    public void thaw(Path cgroup) throws IOException {
      Files.writeString(cgroup.resolve("cgroup.freeze"), "0");
    }
  };

  private final Path parent;
  private final String prefix;

  CgroupV2(Path parent, String scope) {
    this.parent = parent;
    this.prefix = "kos-" + scope + "@";
  }

  /** Whether tasks can get cgroups under the agent's own cgroup, wherever this host mounts cgroup v2. */
  public static Optional<CgroupV2> detect(String scope) {
    try {
      Optional<Path> mount = mountPoint(Files.readString(Path.of("/proc/self/mounts")));
      if (mount.isEmpty()) {
        log.info("no cgroup v2 hierarchy is mounted");
        return Optional.empty();
      }
      return detect(mount.get(), Path.of("/proc/self/cgroup"), scope);
    } catch (IOException e) {
      log.info("cannot use cgroup v2: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Whether tasks can get cgroups under the agent's own cgroup on the v2 hierarchy at {@code mount}. */
  public static Optional<CgroupV2> detect(Path mount, Path procSelfCgroup, String scope) {
    try {
      if (!Files.exists(mount.resolve("cgroup.controllers"))) {
        log.info("no cgroup v2 hierarchy at {}", mount);
        return Optional.empty();
      }
      Optional<String> own = ownCgroup(Files.readString(procSelfCgroup));
      if (own.isEmpty()) {
        log.info("this process is not in a cgroup v2 hierarchy");
        return Optional.empty();
      }
      return usableParent(mount.resolve(own.get().replaceFirst("^/", "")), scope);
    } catch (IOException e) {
      log.info("cannot use cgroup v2: {}", e.toString());
      return Optional.empty();
    }
  }

  /**
   * Where the cgroup v2 hierarchy is mounted, from a /proc/self/mounts text: /sys/fs/cgroup on a
   * unified host, often /sys/fs/cgroup/unified on a hybrid one.
   */
  static Optional<Path> mountPoint(String procMounts) {
    return procMounts.lines()
        .map(line -> line.split(" "))
        .filter(fields -> fields.length > 2 && fields[2].equals("cgroup2"))
        .map(fields -> Path.of(fields[1]))
        .findFirst();
  }

  /** The v2 path in a /proc/self/cgroup text: the {@code 0::/path} line. */
  static Optional<String> ownCgroup(String procSelfCgroup) {
    return procSelfCgroup.lines()
        .filter(line -> line.startsWith("0::"))
        .map(line -> line.substring(3))
        .findFirst();
  }

  static boolean hasControllers(String controllersLine) {
    return Set.of(controllersLine.trim().split("\\s+")).containsAll(NEEDED);
  }

  private static Optional<CgroupV2> usableParent(Path parent, String scope) throws IOException {
    if (!hasControllers(Files.readString(parent.resolve("cgroup.controllers")))) {
      log.info("cgroup {} lacks the cpu and memory controllers", parent);
      return Optional.empty();
    }
    if (!Files.isWritable(parent)) {
      log.info("cgroup {} is not writable by the agent", parent);
      return Optional.empty();
    }
    Path subtree = parent.resolve("cgroup.subtree_control");
    if (!hasControllers(Files.readString(subtree))) {
      // Fails with EBUSY when the parent holds processes (the agent itself): the "no internal
      // processes" rule. Run the agent in a leaf of a delegated cgroup to get limits.
      Files.writeString(subtree, "+cpu +memory");
    }
    Path probe = Files.createDirectory(parent.resolve("kos-probe-" + UUID.randomUUID()));
    try {
      boolean works = Files.exists(probe.resolve("cpu.max")) && Files.exists(probe.resolve("memory.max"));
      return works ? Optional.of(new CgroupV2(parent, scope)) : Optional.empty();
    } finally {
      Files.delete(probe);
    }
  }

  @Override
  public KillMethod method() {
    return KillMethod.CGROUP_V2;
  }

  /** Makes the task's cgroup with its limits; returns the cgroup.procs file the wrapper joins. */
  @Override
  public Path create(String taskId, ResourceSet resources) throws IOException {
    Path cgroup = Files.createDirectories(cgroupOf(taskId));
    if (resources.cpus() > 0) {
      long quota = Math.max(MIN_CPU_QUOTA_US, Math.round(resources.cpus() * CPU_PERIOD_US));
      Files.writeString(cgroup.resolve("cpu.max"), quota + " " + CPU_PERIOD_US);
    }
    if (resources.memBytes() > 0) {
      Files.writeString(cgroup.resolve("memory.max"), Long.toString(resources.memBytes()));
    }
    return cgroup.resolve("cgroup.procs");
  }

  /** Why the kernel killed the task, if it was for memory. */
  public Optional<String> memoryViolation(String taskId, double memLimitMb) {
    try {
      List<String> events = Files.readAllLines(cgroupOf(taskId).resolve("memory.events"));
      boolean oomKilled = events.stream()
          .filter(line -> line.startsWith("oom_kill "))
          .anyMatch(line -> Long.parseLong(line.substring("oom_kill ".length()).trim()) > 0);
      return oomKilled
          ? Optional.of("killed by the kernel: over the task's memory limit of " + memLimitMb + " MiB (cgroup-v2)")
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<Long> pids(String taskId) {
    return CgroupFiles.pids(cgroupOf(taskId));
  }

  /** cgroup.kill (Linux 5.14+) kills every member at once; older kernels freeze, kill and thaw. */
  @Override
  public boolean killAll(String taskId) {
    Path cgroup = cgroupOf(taskId);
    Path kill = cgroup.resolve("cgroup.kill");
    if (Files.exists(kill)) {
      try {
        Files.writeString(kill, "1");
        return CgroupFiles.awaitEmpty(cgroup) || CgroupFiles.killAll(cgroup, FREEZER);
      } catch (IOException e) {
        log.warn("cannot write {}: {}", kill, e.toString());
      }
    }
    return CgroupFiles.killAll(cgroup, FREEZER);
  }

  /** Removes the task's cgroup once its processes are gone; a leftover empty cgroup is harmless. */
  @Override
  public void remove(String taskId) {
    CgroupFiles.remove(cgroupOf(taskId));
  }

  @Override
  public List<String> taskIds() {
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(Files::isDirectory).map(child -> child.getFileName().toString())
          .filter(name -> name.startsWith(prefix)).map(name -> name.substring(prefix.length())).sorted().toList();
    } catch (IOException e) {
      log.warn("cannot list the task cgroups in {}: {}", parent, e.toString());
      return List.of();
    }
  }

  @Override
  public String describe() {
    return parent + "/" + prefix + "*";
  }

  /** The task cgroups sit right in the agent's own cgroup: nothing of the agent's to remove. */
  @Override
  public void release() {
  }

  private Path cgroupOf(String taskId) {
    return parent.resolve(prefix + taskId);
  }
}
