package dev.kos.agent.exec;

import dev.kos.agent.container.core.BundlePlan;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.model.ContainerSpec;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A task's environment: a small base taken from the agent (PATH, LANG), the task's own variables,
 * then what the agent tells the task (ids, sandbox, resources, ports, volumes), which the task's
 * variables cannot override.
 */
public final class TaskEnvironment {
  private static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL", "TZ");

  private TaskEnvironment() {
  }

  public static Map<String, String> build(String agentId, TaskSpec task, Sandbox sandbox,
      Map<VolumeSpec, Path> volumes, Map<String, String> agentEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    INHERITED.stream().filter(agentEnv::containsKey).forEach(name -> env.put(name, agentEnv.get(name)));
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", sandbox.dir().toString());
    env.putAll(task.command().env());
    putKosVariables(env, agentId, task, sandbox.dir().toString());
    volumes.forEach((volume, path) -> env.put("KOS_VOLUME_" + envName(volume.containerPath()), path.toString()));
    return env;
  }

  /**
   * A container task's environment over its image's: the task's own variables, then what the agent tells it, with
   * its sandbox where the container sees it. Nothing of the agent's host (PATH, LANG) leaks in: the image has its own.
   */
  public static Map<String, String> forContainer(String agentId, TaskSpec task, Collection<VolumeSpec> volumes) {
    Map<String, String> env = new LinkedHashMap<>(task.command().env());
    putKosVariables(env, agentId, task, ContainerSpec.SANDBOX);
    volumes.forEach(volume -> env.put("KOS_VOLUME_" + envName(volume.containerPath()),
        BundlePlan.inSandbox(volume.containerPath())));
    return env;
  }

  private static void putKosVariables(Map<String, String> env, String agentId, TaskSpec task, String sandbox) {
    env.put("KOS_AGENT_ID", agentId);
    env.put("KOS_TASK_ID", task.taskId());
    env.put("KOS_TASK_NAME", task.name() == null ? "" : task.name());
    env.put("KOS_FRAMEWORK_ID", task.frameworkId());
    if (task.appId() != null) {
      env.put("KOS_APP_ID", task.appId());
    }
    env.put("KOS_SANDBOX", sandbox);
    env.put("KOS_CPUS", number(task.resources().cpus()));
    env.put("KOS_MEM", number(task.resources().memMb()));
    env.put("KOS_DISK", number(task.resources().diskMb()));
    putPorts(env, task);
  }

  private static void putPorts(Map<String, String> env, TaskSpec task) {
    List<Integer> ports = task.resources().portList();
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Integer.toString(ports.get(i)));
      if (i < task.portNames().size()) {
        env.put("PORT_" + envName(task.portNames().get(i)), Integer.toString(ports.get(i)));
      }
    }
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.get(0)));
      env.put("PORTS", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
  }

  /** {@code http-admin} → {@code HTTP_ADMIN}: what a shell accepts as a variable name. */
  static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }

  /** {@code 128.0} → {@code 128}, {@code 0.5} → {@code 0.5}: resources as people write them. */
  static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
