package dev.kos.agent.container.core;

import dev.kos.model.ContainerSpec;
import dev.kos.model.ContainerSpec.Network;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One container as the agent runs it, everything resolved: what goes into its bundle's {@code config.json}. The
 * user-facing concept (image, entrypoint, args, environment, network) is the model's {@link ContainerSpec}; this
 * is that spec resolved against the image and the agent: an unpacked image root, what to run in it, as whom, with
 * what limits and which network. The image's root is shared by every container of that image, so it is mounted
 * read-only; the task's sandbox is mounted read-write at {@link ContainerSpec#SANDBOX}.
 *
 * @param memoryBytes the memory limit (the kernel OOM-kills the container beyond it)
 * @param cpus the cpu share: a CFS quota of {@code cpus} cores, and shares in proportion
 * @param pids the most processes and threads the container may have
 * @param volumes persistent volumes: where the container sees each (an absolute path, under the sandbox) and the
 *     agent's directory for it, bound read-write; in path order, so a volume inside another is mounted after it
 */
public record BundleSpec(String id, String rootfs, String sandbox, List<String> args, List<String> env,
    String cwd, long uid, long gid, String hostname, Network network, long memoryBytes, double cpus, long pids,
    SortedMap<String, String> volumes) {

  /** Below this a container cannot start (runc's own processes need it). */
  public static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;

  /** A container without volumes. */
  public BundleSpec(String id, String rootfs, String sandbox, List<String> args, List<String> env, String cwd,
      long uid, long gid, String hostname, Network network, long memoryBytes, double cpus, long pids) {
    this(id, rootfs, sandbox, args, env, cwd, uid, gid, hostname, network, memoryBytes, cpus, pids, new TreeMap<>());
  }

  public BundleSpec {
    Objects.requireNonNull(id, "id");
    volumes = Collections.unmodifiableSortedMap(new TreeMap<>(volumes));
    for (String destination : volumes.keySet()) {
      if (!destination.startsWith("/") || destination.contains("/../") || destination.endsWith("/..")) {
        throw new IllegalArgumentException("container " + id + ": volume path " + destination + " is not an "
            + "absolute path without ..");
      }
    }
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(sandbox, "sandbox");
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(network, "network");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException("container id " + id + " is not letters, digits, '.', '_', '-' (runc's)");
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException("container " + id + " has nothing to run: no command, and its image "
          + "names no entrypoint or cmd");
    }
    if (!cwd.startsWith("/")) {
      throw new IllegalArgumentException("container " + id + ": working directory " + cwd + " is not absolute");
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("container " + id + ": uid and gid are not negative");
    }
    if (memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException("container " + id + ": a memory limit of " + memoryBytes
          + " bytes is below the 4 MiB a container needs to start");
    }
    if (!(cpus > 0) || cpus > 1024) {
      throw new IllegalArgumentException("container " + id + ": cpus " + cpus + " is not in (0, 1024]");
    }
    if (pids < 1) {
      throw new IllegalArgumentException("container " + id + ": a pids limit is at least 1");
    }
  }
}
