package dev.kos.agent.container.core;

import dev.kos.model.ContainerSpec;
import dev.kos.model.ContainerSpec.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime config ({@code config.json}) of a container, as plain maps and lists for the shell to write as
 * JSON. It starts from what {@code runc spec} writes (its mounts, masked and read-only paths, its three
 * capabilities, no new privileges) and changes what kos needs: no terminal, the image root read-only, the
 * sandbox bound in, limits from the task's resources, and the agent's network or none.
 */
public final class RuncConfig {

  /** CFS period: quota = cpus x period. */
  static final long CPU_PERIOD_MICROS = 100_000;
  /** Shares per cpu, as Mesos and Kubernetes give them. */
  static final long SHARES_PER_CPU = 1024;
  static final List<String> CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
  /** The cgroup parent every kos container goes under: {@code /kos/ID} in each controller's hierarchy. */
  public static final String CGROUP_PARENT = "/kos";

  private RuncConfig() {
  }

  public static Map<String, Object> of(BundleSpec spec) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("ociVersion", "1.0.2");
    config.put("process", process(spec));
    config.put("root", Map.of("path", spec.rootfs(), "readonly", true));
    config.put("hostname", spec.hostname());
    config.put("mounts", mounts(spec));
    config.put("linux", linux(spec));
    return config;
  }

  private static Map<String, Object> process(BundleSpec spec) {
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("terminal", false);
    process.put("user", Map.of("uid", spec.uid(), "gid", spec.gid()));
    process.put("args", spec.args());
    List<String> env = new ArrayList<>(spec.env());
    if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    process.put("env", env);
    process.put("cwd", spec.cwd());
    Map<String, Object> capabilities = new LinkedHashMap<>();
    for (String set : List.of("bounding", "effective", "permitted")) {
      capabilities.put(set, CAPABILITIES);
    }
    process.put("capabilities", capabilities);
    process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 4096, "soft", 4096)));
    process.put("noNewPrivileges", true);
    return process;
  }

  private static List<Map<String, Object>> mounts(BundleSpec spec) {
    List<Map<String, Object>> mounts = new ArrayList<>();
    mounts.add(mount("/proc", "proc", "proc", List.of()));
    mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    mounts.add(mount("/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
    mounts.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
    mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
    if (spec.network() == Network.NONE) {
      mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
    } else {
      // sysfs cannot be mounted in the host's network namespace: bind the host's, read-only, as runc's rootless spec does.
      mounts.add(mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
    }
    mounts.add(mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", "size=65536k")));
    mounts.add(mount(ContainerSpec.SANDBOX, "none", spec.sandbox(), List.of("rbind", "rw", "nosuid", "nodev")));
    spec.volumes().forEach((destination, source) ->
        mounts.add(mount(destination, "none", source, List.of("rbind", "rw", "nosuid", "nodev"))));
    return mounts;
  }

  private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
    Map<String, Object> mount = new LinkedHashMap<>();
    mount.put("destination", destination);
    mount.put("type", type);
    mount.put("source", source);
    if (!options.isEmpty()) {
      mount.put("options", options);
    }
    return mount;
  }

  private static Map<String, Object> linux(BundleSpec spec) {
    Map<String, Object> linux = new LinkedHashMap<>();
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put("memory", Map.of("limit", spec.memoryBytes(), "swap", spec.memoryBytes()));
    resources.put("cpu", Map.of("shares", Math.max(2, Math.round(spec.cpus() * SHARES_PER_CPU)),
        "quota", Math.max(1000, Math.round(spec.cpus() * CPU_PERIOD_MICROS)), "period", CPU_PERIOD_MICROS));
    resources.put("pids", Map.of("limit", spec.pids()));
    linux.put("resources", resources);
    linux.put("cgroupsPath", CGROUP_PARENT + "/" + spec.id());
    List<Map<String, Object>> namespaces = new ArrayList<>();
    for (String type : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.add(Map.of("type", type));
    }
    if (spec.network() == Network.NONE) {
      namespaces.add(Map.of("type", "network"));
    }
    linux.put("namespaces", namespaces);
    linux.put("maskedPaths", List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
    linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
    return linux;
  }
}
