package dev.kos.agent.limits;

import dev.kos.agent.model.ResourceSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One cgroup per task of this agent (the agent is named by its cgroup scope: id and work dir), which the task's wrapper joins before the task starts, so
 * that every process the task forks (across setsid and double forks) is found and killed there.
 */
public interface TaskCgroups {
  KillMethod method();

  /** Makes the task's cgroup; returns the cgroup.procs file the wrapper writes its pid to. */
  Path create(String taskId, ResourceSet resources) throws IOException;

  /** The pids in the task's cgroup now; none when it has no cgroup. */
  List<Long> pids(String taskId);

  /**
   * Kills every process in the task's cgroup so that none can fork meanwhile, and waits until it is
   * empty; returns whether it is. A task without a cgroup is empty.
   */
  boolean killAll(String taskId);

  /** Removes the task's (empty) cgroup; a cgroup that still holds processes is left and logged. */
  void remove(String taskId);

  /** The ids of this agent's tasks that have a cgroup now, e.g. left by a previous run. */
  List<String> taskIds();

  /** Where the task cgroups are, for the log. */
  String describe();

  /** When the agent stops: removes what it made for itself if no task cgroup is left in it. */
  void release();
}
