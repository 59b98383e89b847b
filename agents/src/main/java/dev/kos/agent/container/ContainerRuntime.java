package dev.kos.agent.container;

import dev.kos.agent.container.core.BundlePlan;
import dev.kos.agent.container.core.BundleSpec;
import dev.kos.agent.container.core.RuncStats;
import dev.kos.agent.image.ImageCache;
import dev.kos.agent.image.ImageException;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.model.ContainerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an agent runs container tasks: runc, with its containers' state under the agent's work dir ({@code runc/})
 * and its unpacked images there too ({@code images/}). An agent has one only where runc is installed and the
 * agent runs as root (runc without root needs a rootless set-up kos does not make); it says so in its capacity
 * report ({@link ContainerSpec#RUNTIME_ATTRIBUTE}).
 */
public final class ContainerRuntime {

  private static final Logger log = LoggerFactory.getLogger(ContainerRuntime.class);
  /** Why an agent without a runtime fails a container task. */
  public static final String UNAVAILABLE = "this agent cannot run containers: runc is not installed";
  /** The most an unpacked image may take on the agent's disk. */
  public static final long MAX_IMAGE_BYTES = 4L << 30;
  private static final List<String> SEARCHED = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
      "/sbin", "/bin");

  /** Images unpacked at once: two, so one big image leaves room for the next while the disk is the limit. */
  private static final int UNPACKING_THREADS = 2;

  private final RuncContainer.Runc runc;
  private final ImageCache images;
  private final String scope;
  private final ExecutorService unpacking = Executors.newFixedThreadPool(UNPACKING_THREADS, runnable -> {
    Thread thread = new Thread(runnable, "kos-image-unpack");
    thread.setDaemon(true);
    return thread;
  });

  private ContainerRuntime(RuncContainer.Runc runc, ImageCache images, String scope) {
    this.runc = runc;
    this.images = images;
    this.scope = scope;
  }

  /**
   * The agent's runtime, if it can have one.
   *
   * @param scope the agent's cgroup scope: it prefixes every container id (and so its cgroups)
   */
  public static Optional<ContainerRuntime> detect(Path workDir, String scope, boolean allowed) {
    if (!allowed) {
      log.info("containers are switched off on this agent: container tasks fail with \"{}\"", UNAVAILABLE);
      return Optional.empty();
    }
    Optional<Path> binary = find("runc");
    if (binary.isEmpty()) {
      log.info("runc is not installed (looked in {}): this agent runs processes only", SEARCHED);
      return Optional.empty();
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      log.warn("{} is installed but the agent does not run as root, and kos makes no rootless set-up: this agent "
          + "runs processes only", binary.get());
      return Optional.empty();
    }
    try {
      Path state = Files.createDirectories(workDir.resolve("runc"));
      return Optional.of(new ContainerRuntime(new RuncContainer.Runc(binary.get(), state),
          new ImageCache(workDir.resolve("images"), MAX_IMAGE_BYTES), scope));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the container state in " + workDir, e);
    }
  }

  /** What the agent advertises as {@link ContainerSpec#RUNTIME_ATTRIBUTE}. */
  public String name() {
    return ContainerSpec.RUNC;
  }

  /**
   * The task's image unpacked (or found unpacked), on a thread of the runtime's own: a big image that takes a
   * minute to unpack must not hold up the agent's other launches and kills. Fails with an {@link ImageException}
   * (in a {@link java.util.concurrent.CompletionException}) saying why the image cannot be run.
   */
  public CompletableFuture<ImageCache.Unpacked> unpack(ContainerSpec container) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return images.rootOf(container.imageReference());
      } catch (ImageException e) {
        throw new CompletionException(e);
      }
    }, unpacking);
  }

  /**
   * Writes the bundle of the task's {@link #unpack unpacked} image and starts it; the container's output is
   * appended to {@code stdout} and {@code stderr}.
   *
   * @param volumes the task's persistent volumes and the agent's directory for each, bound into the container
   * @param taskEnv the task's own environment and kos's variables
   * @param defaultUser the uid and gid the container runs as when its image names no user (the agent's default
   *     task user; 0 and 0, the container's root, when tasks run as the agent's root)
   * @param supervision how {@code runc run} is started (the agent's task wrapper)
   * @throws ImageException the image cannot be run, with a reason for whoever built it or wrote the task
   */
  public RuncContainer start(TaskSpec task, ImageCache.Unpacked image, Path sandbox, Map<VolumeSpec, Path> volumes,
      Path bundle, Path stdout, Path stderr, Map<String, String> taskEnv, long[] defaultUser,
      RuncContainer.Supervision supervision) throws ImageException, IOException {
    ContainerSpec container = task.container();
    BundleSpec spec;
    try {
      spec = BundlePlan.of(BundlePlan.containerId(scope, task.taskId()), container, image.config(),
          image.rootfs().toString(), sandbox.toString(), taskEnv, task.resources().cpus(),
          task.resources().memBytes(), volumes.entrySet().stream().collect(Collectors.toMap(
              volume -> volume.getKey().containerPath(), volume -> volume.getValue().toString())), defaultUser);
    } catch (IllegalArgumentException e) {
      throw new ImageException(e.getMessage(), e);
    }
    if (spec.uid() != 0) {
      // The container's user writes its sandbox and volumes, as a process task writes its own.
      for (Path owned : Stream.concat(Stream.of(sandbox), volumes.values().stream()).toList()) {
        Files.setAttribute(owned, "unix:uid", (int) spec.uid());
        Files.setAttribute(owned, "unix:gid", (int) spec.gid());
      }
    }
    // Its task's alone, as a process task's sandbox.
    Files.setPosixFilePermissions(sandbox, java.nio.file.attribute.PosixFilePermissions.fromString(
        dev.kos.agent.exec.WorkDirModes.SANDBOX));
    // A container a crashed agent left under this id would make runc refuse the id.
    try {
      runc.call("delete", "--force", spec.id());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while clearing container " + spec.id(), e);
    }
    log.info("task {} runs in {} ({}, {}): {}", task.taskId(), container.image(), image.manifestDigest(),
        image.cached() ? "cached" : "unpacked now", spec.args());
    return RuncContainer.start(runc, bundle, spec, stdout, stderr, supervision);
  }

  /**
   * Sends {@code signal} to every process of the task's container, by its id: also the container of a task a
   * restarted agent recovered, whose {@code runc run} is no child of this agent.
   */
  public void signal(String taskId, String signal) throws IOException, InterruptedException {
    runc.call("kill", "--all", BundlePlan.containerId(scope, taskId), signal);
  }

  /**
   * Watches the container of a task a restarted agent recovered for the kernel's OOM kills, as the agent that
   * started it did, while {@code runner} (the wrapper around its {@code runc run}) lives.
   */
  public OomWatch watchOom(String taskId, ProcessHandle runner) {
    return OomWatch.start(runc, BundlePlan.containerId(scope, taskId), runner);
  }

  /**
   * The task's container's usage, from its cgroups ({@code runc events --stats}): its own processes only, not
   * {@code runc run} nor the wrapper around it. Empty while runc has no such container (not created yet, or ended)
   * or its answer cannot be read (logged).
   */
  public Optional<RuncStats.Usage> usage(String taskId) throws IOException, InterruptedException {
    String id = BundlePlan.containerId(scope, taskId);
    Optional<String> stats = runc.output("events", "--stats", id);
    try {
      return stats.map(RuncStats::parse);
    } catch (IllegalArgumentException e) {
      log.warn("no usage sample of container {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  /** The command line prefix that runs a command in the task's running container ({@code runc exec}). */
  public List<String> execCommand(String taskId) {
    return runc.command("exec", BundlePlan.containerId(scope, taskId));
  }

  /** Kills what is left of the task's container and removes it, with its cgroups; nothing if there is none. */
  public void remove(String taskId) throws IOException, InterruptedException {
    String id = BundlePlan.containerId(scope, taskId);
    runc.call("kill", "--all", id, "KILL");
    runc.call("delete", "--force", id);
  }

  /**
   * Kills and removes every container under this agent's runc state that belongs to none of {@code liveTaskIds}:
   * left by a run that ended without cleaning up, or by a task whose checkpoint was lost.
   */
  public void removeStale(Collection<String> liveTaskIds) throws IOException, InterruptedException {
    Set<String> live = liveTaskIds.stream().map(taskId -> BundlePlan.containerId(scope, taskId))
        .collect(Collectors.toSet());
    for (String id : runc.list()) {
      if (!live.contains(id)) {
        log.warn("removing the container {}, which belongs to no task of this agent", id);
        runc.call("kill", "--all", id, "KILL");
        runc.call("delete", "--force", id);
      }
    }
  }

  /** The ids of the containers runc knows under this agent's state, running or not: none once its tasks ended. */
  public List<String> containers() throws IOException, InterruptedException {
    return runc.list();
  }

  private static Optional<Path> find(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(":")).filter(dir -> !dir.isBlank()), SEARCHED.stream())
        .map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
