package dev.kos.agent.container.core;

import dev.kos.agent.image.core.ImageConfig;
import dev.kos.model.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Resolves what a framework asked for (the model's {@link ContainerSpec}) against what the image says
 * ({@link ImageConfig}) and what the agent gives the task (its sandbox, limits and kos's variables) into the
 * {@link BundleSpec} runc runs. What it cannot run throws {@link IllegalArgumentException} with a reason for the
 * person who built the image or wrote the task.
 */
public final class BundlePlan {

  /** Processes and threads a container may have: enough for a JVM, not for a fork bomb. */
  public static final long PIDS = 4096;
  private static final Pattern RUNC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  /** The container's root: what a container whose image names no user runs as where tasks run as root. */
  public static final long[] ROOT = {0, 0};
  private static final Pattern NUMERIC_USER = Pattern.compile("(\\d{1,9})(?::(\\d{1,9}))?");

  private BundlePlan() {
  }

  /**
   * @param taskEnv the task's own environment and kos's variables, set over the image's and the container's
   */
  public static BundleSpec of(String id, ContainerSpec container, ImageConfig image, String rootfs, String sandbox,
      Map<String, String> taskEnv, double cpus, long memoryBytes) {
    return of(id, container, image, rootfs, sandbox, taskEnv, cpus, memoryBytes, Map.of());
  }

  /**
   * @param volumes each persistent volume's path relative to the sandbox (as a process task sees it) and the
   *     agent's directory for it: the container sees it at the same place under {@link ContainerSpec#SANDBOX}
   */
  public static BundleSpec of(String id, ContainerSpec container, ImageConfig image, String rootfs, String sandbox,
      Map<String, String> taskEnv, double cpus, long memoryBytes, Map<String, String> volumes) {
    return of(id, container, image, rootfs, sandbox, taskEnv, cpus, memoryBytes, volumes, ROOT);
  }

  /**
   * @param defaultUser the uid and gid the container runs as when the image names no user: the agent's default
   *     task user's ({@code nobody}: 65534, 65534), or {@link #ROOT} where tasks run as the agent's root
   */
  public static BundleSpec of(String id, ContainerSpec container, ImageConfig image, String rootfs, String sandbox,
      Map<String, String> taskEnv, double cpus, long memoryBytes, Map<String, String> volumes, long[] defaultUser) {
    List<String> args = container.commandLine(image.entrypoint(), image.cmd());
    if (args.isEmpty()) {
      throw new IllegalArgumentException("the image " + container.image() + " names no entrypoint or cmd and the "
          + "task gives none: nothing to run");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String variable : image.env()) {
      int equals = variable.indexOf('=');
      if (equals > 0) {
        env.put(variable.substring(0, equals), variable.substring(equals + 1));
      }
    }
    env.putAll(container.env());
    env.putAll(taskEnv);
    String cwd = container.workingDir().or(image::workingDir).filter(dir -> !dir.isEmpty())
        .orElse(ContainerSpec.SANDBOX);
    long[] user = user(container.image(), image.user().orElse(""), defaultUser);
    String hostname = id.length() > 63 ? id.substring(0, 63) : id;
    TreeMap<String, String> mounts = new TreeMap<>();
    volumes.forEach((path, source) -> mounts.put(inSandbox(path), source));
    return new BundleSpec(id, rootfs, sandbox, args,
        env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(), cwd, user[0], user[1], hostname,
        container.network(), memoryBytes, cpus, PIDS, mounts);
  }

  /** Where a container sees a volume whose path is {@code path} relative to the sandbox. */
  public static String inSandbox(String path) {
    return ContainerSpec.SANDBOX + "/" + path.replaceFirst("^/+", "");
  }

  /**
   * runc's id of a task's container: the agent's cgroup scope (its id and work dir) and the task id, so two agents
   * on one host never share an id or a cgroup; a task id runc would not take is replaced by its digest.
   */
  public static String containerId(String scope, String taskId) {
    String id = scope + "." + taskId;
    if (RUNC_ID.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      String hashed = scope + "." + HexFormat.of().formatHex(digest, 0, 8);
      return hashed.length() > 128 ? hashed.substring(hashed.length() - 128) : hashed;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * An image's user as uid and gid: by number only, as resolving a name would read the image's /etc/passwd; an
   * image that names none runs as {@code defaultUser}; one that names root ("root", "0") as root.
   */
  private static long[] user(String image, String user, long[] defaultUser) {
    if (user.isEmpty()) {
      return new long[] {defaultUser[0], defaultUser[1]};
    }
    if (user.equals("root")) {
      return new long[] {0, 0};
    }
    var numeric = NUMERIC_USER.matcher(user);
    if (!numeric.matches()) {
      throw new IllegalArgumentException("the image " + image + " runs as the user \"" + user + "\", a name: kos "
          + "runs an image's user only by number yet (uid or uid:gid); rebuild it with USER 101 or the like");
    }
    long uid = Long.parseLong(numeric.group(1));
    return new long[] {uid, numeric.group(2) == null ? uid : Long.parseLong(numeric.group(2))};
  }
}
