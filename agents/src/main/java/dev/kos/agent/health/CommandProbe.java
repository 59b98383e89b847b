package dev.kos.agent.health;

import dev.kos.agent.process.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when the shell command exits 0 within the timeout; runs in the task's sandbox and environment. In a
 * container it runs through {@code runner} ({@code runc exec <id>}), in the container's namespaces, root, user,
 * environment and working directory, with the image's {@code /bin/sh}.
 *
 * @param runner what the shell runs under: nothing for a process task, {@code runc exec} for a container
 */
public record CommandProbe(List<String> runner, String command, Path workDir, Map<String, String> env)
    implements HealthProbe {

  public CommandProbe {
    runner = List.copyOf(runner);
  }

  @Override
  public ProbeResult probe(Duration timeout) {
    List<String> line = new ArrayList<>(runner);
    line.addAll(List.of("/bin/sh", "-c", command));
    ProcessBuilder builder = new ProcessBuilder(line)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.kill(process.toHandle());
        return ProbeResult.unhealthy("'" + command + "' did not finish within " + timeout);
      }
      int code = process.exitValue();
      String detail = "'" + command + "' exited with code " + code;
      return code == 0 ? ProbeResult.healthy(detail) : ProbeResult.unhealthy(detail);
    } catch (IOException e) {
      return ProbeResult.unhealthy("cannot run '" + command + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.unhealthy("interrupted while running '" + command + "'");
    }
  }
}
