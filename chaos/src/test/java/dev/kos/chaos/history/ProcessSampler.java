package dev.kos.chaos.history;

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
import java.util.TreeMap;

/**
 * Finds an agent's task processes in /proc: an agent starts each task with KOS_TASK_ID,
 * KOS_APP_ID, KOS_AGENT_ID and KOS_SANDBOX in its environment (TaskEnvironment), and the task's
 * children inherit them. Only processes whose sandbox lies under {@code root} count, so tasks of
 * other tests on this machine are not ours. Zombies and processes that end mid-read are skipped.
 */
public final class ProcessSampler {

  private static final Path PROC = Path.of("/proc");

  private final String root;

  public ProcessSampler(Path root) {
    this.root = root.toAbsolutePath().toString();
  }

  public ProcessSample sample() {
    Map<String, List<Long>> pids = new TreeMap<>();
    Map<String, Map<String, String>> envs = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path entry : entries) {
        Map<String, String> env = environment(entry);
        String taskId = env.get("KOS_TASK_ID");
        String sandbox = env.getOrDefault("KOS_SANDBOX", "");
        if (taskId == null || !sandbox.startsWith(root) || zombie(entry)) {
          continue;
        }
        pids.computeIfAbsent(taskId, t -> new ArrayList<>()).add(Long.parseLong(entry.getFileName().toString()));
        envs.putIfAbsent(taskId, env);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    List<LiveTask> live = new ArrayList<>();
    pids.forEach((taskId, ids) -> live.add(new LiveTask(taskId, envs.get(taskId).get("KOS_APP_ID"),
        envs.get(taskId).get("KOS_AGENT_ID"), ids.stream().sorted().toList())));
    return new ProcessSample(System.currentTimeMillis(), live);
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
