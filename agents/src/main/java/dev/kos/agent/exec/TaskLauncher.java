package dev.kos.agent.exec;

import dev.kos.agent.limits.TaskCgroups;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares a sandbox (volumes, wrapper, cgroup) and starts the task's process in it, as the task's user when its
 * command names one (the wrapper stays the agent's, so it can join the cgroup and record the exit).
 */
final class TaskLauncher {
  private TaskLauncher() {
  }

  static Process start(TaskSpec task, Sandbox sandbox, Map<VolumeSpec, Path> volumes,
      Map<String, String> env, TaskCgroups cgroups, String agentId, Path leaseFile, TaskLease lease)
      throws IOException {
    TaskUser user = task.command().user() == null ? null : TaskUser.lookup(task.command().user());
    sandbox.create();
    linkVolumes(sandbox, volumes);
    WrapperScript.writeInto(sandbox);
    // The sandbox is its task's alone: other tasks, under another user, cannot read it.
    Files.setPosixFilePermissions(sandbox.dir(), PosixFilePermissions.fromString("rwx------"));
    List<String> command = task.command().commandLine();
    if (user != null) {
      // The user may pass through the agent's work dir to its sandbox (by the path KOS_SANDBOX names), not list it.
      Path sandboxes = sandbox.dir().getParent();
      for (Path dir : List.of(sandboxes, sandboxes.getParent())) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
          Files.setPosixFilePermissions(dir, permissions);
        }
      }
      user.own(sandbox.dir());
      for (Path volume : volumes.values()) {
        user.own(volume);
      }
      command = user.commandLine(command);
      env = new java.util.LinkedHashMap<>(env);
      env.put("USER", user.name());
      env.put("LOGNAME", user.name());
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
