package dev.kos.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds a task's processes on this host from /proc, whoever their parent is now: every process
 * whose environment holds {@code KOS_TASK_ID=<id>} (the agent sets it, and children inherit it).
 * Test task ids are unique per run, so this sees escaped and re-parented processes too.
 */
public final class TaskProcesses {
  private TaskProcesses() {
  }

  /** The live processes of the task, as "pid command line". */
  public static List<String> of(String taskId) {
    byte[] wanted = ("KOS_TASK_ID=" + taskId).getBytes(StandardCharsets.UTF_8);
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (hasEntry(Files.readAllBytes(proc.resolve("environ")), wanted) && !zombie(proc)) {
            found.add(proc.getFileName() + " " + new String(Files.readAllBytes(proc.resolve("cmdline")),
                StandardCharsets.UTF_8).replace('\0', ' ').trim());
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /** SIGKILL to every process of the task, so that a failing test leaves nothing behind. */
  public static void killAll(String taskId) {
    for (String process : of(taskId)) {
      ProcessHandle.of(Long.parseLong(process.split(" ")[0])).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean zombie(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
  }

  private static boolean hasEntry(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length && Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
