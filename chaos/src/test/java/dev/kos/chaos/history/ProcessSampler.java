package dev.kos.chaos.history;

import dev.kos.agent.AgentConfig;
import dev.kos.agent.model.ResourceSet;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.ProcessSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds an agent's task processes in /proc: an agent starts each task with KOS_TASK_ID,
 * KOS_APP_ID, KOS_AGENT_ID and KOS_SANDBOX in its environment (TaskEnvironment), and the task's
 * children inherit them. Only processes whose sandbox lies under {@code root} count, so tasks of
 * other tests on this machine are not ours. A process that cleared its environment (a task that
 * escaped with {@code env -i}) is still found by its task cgroup, {@code .../kos/<scope>/<taskId>},
 * when the agent put it in one: the scope names an agent whose work dir is {@code root/agents/<id>}
 * (ChaosCluster's layout). Zombies and processes that end mid-read are skipped.
 */
public final class ProcessSampler {

  private static final Path PROC = Path.of("/proc");
  private static final ResourceSet NO_RESOURCES = new ResourceSet(0, 0, 0, List.of());

  private final String root;

  public ProcessSampler(Path root) {
    this.root = root.toAbsolutePath().toString();
  }

  public ProcessSample sample() {
    Map<String, List<Long>> pids = new TreeMap<>();
    Map<String, Map<String, String>> envs = new HashMap<>();
    Map<String, String> scopes = agentScopes();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        Map<String, String> env = environment(entry);
        String taskId = env.get("KOS_TASK_ID");
        String sandbox = env.getOrDefault("KOS_SANDBOX", "");
        if (taskId == null || !sandbox.startsWith(root)) {
          Optional<TaskCgroup> cgroup = scopes.isEmpty() ? Optional.empty() : TaskCgroup.of(cgroups(entry), scopes);
          if (cgroup.isEmpty()) {
            continue;
          }
          taskId = cgroup.get().taskId();
          env = Map.of("KOS_AGENT_ID", cgroup.get().agentId(), "KOS_APP_ID", UNKNOWN_APP);
        }
        if (zombie(entry)) {
          continue;
        }
        pids.computeIfAbsent(taskId, t -> new ArrayList<>()).add(Long.parseLong(entry.getFileName().toString()));
        // A process with the task's environment says which app it belongs to; its cgroup alone does not.
        Map<String, String> found = env;
        envs.merge(taskId, env, (old, now) -> UNKNOWN_APP.equals(old.get("KOS_APP_ID")) ? found : old);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    List<LiveTask> live = new ArrayList<>();
    pids.forEach((taskId, ids) -> live.add(new LiveTask(taskId, envs.get(taskId).get("KOS_APP_ID"),
        envs.get(taskId).get("KOS_AGENT_ID"), ids.stream().sorted().toList())));
    return new ProcessSample(System.currentTimeMillis(), live);
  }

  /** The app of a process found by its task cgroup only, with no kos environment left. */
  public static final String UNKNOWN_APP = "?";

  /** A task cgroup of one of our agents, as a line of /proc/PID/cgroup names it. */
  record TaskCgroup(String agentId, String taskId) {

    /**
     * The task cgroup of a /proc/PID/cgroup text ({@code 6:freezer:/kos/a1-1a2b3c4d/t-1} or
     * {@code 0::/x/kos/a1-1a2b3c4d/t-1}), if its scope is one of {@code scopes} (scope -> agent id).
     */
    static Optional<TaskCgroup> of(String procPidCgroup, Map<String, String> scopes) {
      for (String line : procPidCgroup.split("\n")) {
        String[] fields = line.split(":", 3);
        if (fields.length < 3) {
          continue;
        }
        String[] path = fields[2].split("/");
        for (int i = 0; i + 2 < path.length; i++) {
          if (path[i].equals("kos") && scopes.containsKey(path[i + 1]) && !path[i + 2].isEmpty()) {
            return Optional.of(new TaskCgroup(scopes.get(path[i + 1]), path[i + 2]));
          }
        }
      }
      return Optional.empty();
    }
  }

  /** The cgroup scope of every agent under {@code root/agents}, to its agent id. */
  private Map<String, String> agentScopes() {
    Path agents = Path.of(root, "agents");
    Map<String, String> scopes = new HashMap<>();
    if (!Files.isDirectory(agents)) {
      return scopes;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(agents, Files::isDirectory)) {
      for (Path workDir : dirs) {
        String id = workDir.getFileName().toString();
        scopes.put(AgentConfig.of(id, workDir, NO_RESOURCES).cgroupScope(), id);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + agents, e);
    }
    return scopes;
  }

  private static String cgroups(Path process) {
    try {
      return Files.readString(process.resolve("cgroup"));
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  /** Kills what is left of the tasks (SIGKILL), so a failed case leaves nothing behind on the machine. */
  public int killAll() {
    int killed = 0;
    for (LiveTask task : sample().live()) {
      for (long pid : task.pids()) {
        killed += ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false) ? 1 : 0;
      }
    }
    return killed;
  }

  private static Map<String, String> environment(Path process) {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      String all = new String(Files.readAllBytes(process.resolve("environ")), StandardCharsets.UTF_8);
      for (String entry : all.split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0 && entry.startsWith("KOS_")) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    } catch (IOException | SecurityException e) {
      // Another user's process, or one that just ended: not ours to count.
    }
    return env;
  }

  private static boolean zombie(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      // The state follows the command name in parentheses, which may itself contain ") ".
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }
}
