package dev.kos.agent.exec;

import dev.kos.agent.limits.TaskCgroups;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Prepares a sandbox (volumes, wrapper, cgroup) and starts the task's process in it. */
final class TaskLauncher {
  private TaskLauncher() {
  }

  static Process start(TaskSpec task, Sandbox sandbox, Map<VolumeSpec, Path> volumes,
      Map<String, String> env, TaskCgroups cgroups, String agentId, Path leaseFile, TaskLease lease)
      throws IOException {
    sandbox.create();
    linkVolumes(sandbox, volumes);
    WrapperScript.writeInto(sandbox);
    Path cgroupProcs = cgroups == null ? null : cgroups.create(task.taskId(), task.resources());
    ProcessBuilder builder = new ProcessBuilder(WrapperScript.commandLine(
        sandbox, cgroupProcs == null ? null : cgroupProcs.toString(), agentId, leaseFile, lease,
        task.command().commandLine()))
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
