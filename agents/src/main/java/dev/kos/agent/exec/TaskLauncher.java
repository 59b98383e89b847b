package dev.kos.agent.exec;

import dev.kos.agent.limits.TaskCgroups;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares a sandbox (volumes, wrapper, cgroup) and starts the task's process in it, as the task's user when its
 * command names one (the wrapper stays the agent's, so it can join the cgroup and record the exit).
 */
final class TaskLauncher {
  private TaskLauncher() {
  }

  /**
   * @param runAs the host user the task runs as; empty for the agent's own
   * @param classpath the agent's classpath, mirrored where such a user can read it ({@value ClasspathMirror#ENV});
   *     a task that gives a classpath of its own there gets that one mirrored into its sandbox instead
   */
  static Process start(TaskSpec task, Optional<TaskUser> runAs, ClasspathMirror classpath, Sandbox sandbox,
      Map<VolumeSpec, Path> volumes, Map<String, String> env, TaskCgroups cgroups, String agentId, Path leaseFile,
      TaskLease lease) throws IOException {
    TaskUser user = runAs.orElse(null);
    sandbox.create();
    linkVolumes(sandbox, volumes);
    WrapperScript.writeInto(sandbox);
    // The sandbox is its task's alone: other tasks, under another user, cannot read it. Its user reaches it through
    // the agent's work dir and sandboxes/, which it may pass through but not list (0711 from the agent's start).
    Files.setPosixFilePermissions(sandbox.dir(), PosixFilePermissions.fromString(WorkDirModes.SANDBOX));
    List<String> command = task.command().commandLine();
    if (user != null) {
      user.own(sandbox.dir());
      for (Path volume : volumes.values()) {
        user.own(volume);
      }
      command = user.commandLine(command);
      env = new java.util.LinkedHashMap<>(env);
      env.put("USER", user.name());
      env.put("LOGNAME", user.name());
      String own = env.get(ClasspathMirror.ENV);
      env.put(ClasspathMirror.ENV, own == null || own.isBlank() ? classpath.classpath()
          : ClasspathMirror.forTask(sandbox.meta().resolve("classpath"), own).classpath());
    }
    Path cgroupProcs = cgroups == null ? null : cgroups.create(task.taskId(), task.resources());
    ProcessBuilder builder = new ProcessBuilder(WrapperScript.commandLine(
        sandbox, cgroupProcs == null ? null : cgroupProcs.toString(), agentId, leaseFile, lease, command))
        .directory(sandbox.dir().toFile())
        // Files, not pipes: the task must not block or die of SIGPIPE while the agent is down.
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.stdout().toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(sandbox.stderr().toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Each volume appears in the sandbox at its container path as a symlink to its data directory. */
  private static void linkVolumes(Sandbox sandbox, Map<VolumeSpec, Path> volumes) throws IOException {
    for (Map.Entry<VolumeSpec, Path> volume : volumes.entrySet()) {
      Path link = sandbox.dir().resolve(volume.getKey().containerPath());
      Files.createDirectories(link.getParent());
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, volume.getValue());
      }
    }
  }
}
