package dev.kos.agent.limits;

import dev.kos.agent.model.ResourceSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task cgroups in the cgroup v1 freezer hierarchy, {@code <freezer>/<agent's own>/kos/<scope>/<taskId>}
 * (the scope: the agent's id and a digest of its work dir),
 * for killing only (limits stay with the watchdog). Hybrid hosts mount v1 freezer next to a v2
 * hierarchy without controllers.
 */
public final class FreezerCgroups implements TaskCgroups {
  private static final Logger log = LoggerFactory.getLogger(FreezerCgroups.class);
  private static final CgroupFiles.Freezer FREEZER = new CgroupFiles.Freezer() {
    @Override
    public void freeze(Path cgroup) throws IOException {
      Files.writeString(cgroup.resolve("freezer.state"), "FROZEN");
    }

    @Override
    public boolean frozen(Path cgroup) throws IOException {
      return Files.readString(cgroup.resolve("freezer.state")).trim().equals("FROZEN");
    }

    @Override
    public void thaw(Path cgroup) throws IOException {
      Files.writeString(cgroup.resolve("freezer.state"), "THAWED");
    }
  };

  private final Path agentDir;

  FreezerCgroups(Path agentDir) {
    this.agentDir = agentDir;
  }

  /** The agent's freezer cgroups, if this host mounts a v1 freezer hierarchy where the agent can make cgroups. */
  public static Optional<FreezerCgroups> detect(String scope) {
    try {
      Optional<Path> mount = mountPoint(Files.readString(Path.of("/proc/self/mounts")));
      if (mount.isEmpty()) {
        log.info("no cgroup v1 freezer hierarchy is mounted");
        return Optional.empty();
      }
      String own = ownCgroup(Files.readString(Path.of("/proc/self/cgroup"))).orElse("/");
      return usable(mount.get().resolve(own.replaceFirst("^/", "")).resolve("kos").resolve(scope));
    } catch (IOException e) {
      log.info("cannot use the cgroup v1 freezer: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Where the v1 freezer hierarchy is mounted, from a /proc/self/mounts text. */
  static Optional<Path> mountPoint(String procMounts) {
    return procMounts.lines()
        .map(line -> line.split(" "))
        .filter(fields -> fields.length > 3 && fields[2].equals("cgroup")
            && List.of(fields[3].split(",")).contains("freezer"))
        .map(fields -> Path.of(fields[1]))
        .findFirst();
  }

  /** The agent's own path in the freezer hierarchy, from a /proc/self/cgroup text ({@code 6:freezer:/path}). */
  static Optional<String> ownCgroup(String procSelfCgroup) {
    return procSelfCgroup.lines()
        .map(line -> line.split(":", 3))
        .filter(fields -> fields.length == 3 && List.of(fields[1].split(",")).contains("freezer"))
        .map(fields -> fields[2])
        .findFirst();
  }

  /** Usable when a probe cgroup can be made under the agent's directory and has freezer.state. */
  private static Optional<FreezerCgroups> usable(Path agentDir) {
    Path probe = agentDir.resolveSibling(".probe-" + UUID.randomUUID());
    try {
      Files.createDirectories(agentDir);
      Files.createDirectory(probe);
      boolean works = Files.exists(probe.resolve("freezer.state")) && Files.exists(probe.resolve("cgroup.procs"));
      if (!works) {
        log.info("cgroup {} has no freezer.state", probe);
      }
      return works ? Optional.of(new FreezerCgroups(agentDir)) : Optional.empty();
    } catch (IOException e) {
      log.info("cannot make cgroups under {}: {}", agentDir, e.toString());
      return Optional.empty();
    } finally {
      CgroupFiles.remove(probe);
    }
  }

  @Override
  public KillMethod method() {
    return KillMethod.CGROUP_V1_FREEZER;
  }

  @Override
  public Path create(String taskId, ResourceSet resources) throws IOException {
    return Files.createDirectories(cgroupOf(taskId)).resolve("cgroup.procs");
  }

  @Override
  public List<Long> pids(String taskId) {
    return CgroupFiles.pids(cgroupOf(taskId));
  }

  @Override
  public boolean killAll(String taskId) {
    return CgroupFiles.killAll(cgroupOf(taskId), FREEZER);
  }

  @Override
  public void remove(String taskId) {
    CgroupFiles.remove(cgroupOf(taskId));
  }

  @Override
  public List<String> taskIds() {
    try (Stream<Path> children = Files.list(agentDir)) {
      return children.filter(Files::isDirectory).map(child -> child.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      log.warn("cannot list the task cgroups in {}: {}", agentDir, e.toString());
      return List.of();
    }
  }

  @Override
  public String describe() {
    return "in " + agentDir;
  }

  /** rmdir fails on a cgroup that has children, so this never touches a task's cgroup. */
  @Override
  public void release() {
    try {
      Files.deleteIfExists(agentDir);
    } catch (IOException e) {
      log.debug("keeping {}: {}", agentDir, e.toString());
    }
  }

  private Path cgroupOf(String taskId) {
    return agentDir.resolve(taskId);
  }
}
