package dev.kos.agent.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.agent.container.core.BundleSpec;
import dev.kos.agent.container.core.RuncConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One container run by {@code runc}, in the foreground: {@code runc run} is the agent's child and exits with the
 * container's status, as a process task's shell does, so the agent supervises both the same way. Beside it, an
 * {@link OomWatch} reports the kernel's OOM kills, which is how an exit by SIGKILL is told apart from a kill kos
 * asked for: "OOM-killed at its memory limit".
 */
public final class RuncContainer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a container ended; {@code status} is null when nothing recorded it. */
  public record Exit(Integer status, boolean oomKilled) {
  }

  private final Runc runc;
  private final String id;
  private final Process run;
  private final OomWatch oom;

  private RuncContainer(Runc runc, String id, Process run) {
    this.runc = runc;
    this.id = id;
    this.run = run;
    this.oom = OomWatch.start(runc, id, run.toHandle());
  }

  /**
   * How {@code runc run} is started: under the agent's task wrapper, which records its exit in the sandbox and,
   * with a task lease, kills the container when the agent stops renewing it.
   */
  @FunctionalInterface
  public interface Supervision {
    /**
     * The command line that runs {@code run}; {@code killOnLeaseExpiry} kills the container, whose processes are
     * in namespaces and a cgroup of runc's, not the wrapper's.
     */
    List<String> commandLine(List<String> killOnLeaseExpiry, List<String> run);

    /** {@code runc run} as the agent's own child, with nothing around it. */
    Supervision NONE = (kill, run) -> run;
  }

  /**
   * Writes the bundle ({@code config.json} in {@code bundle}) and starts the container under {@code supervision};
   * its output goes to {@code stdout} and {@code stderr}.
   */
  public static RuncContainer start(Runc runc, Path bundle, BundleSpec spec, Path stdout, Path stderr,
      Supervision supervision) throws IOException {
    Files.createDirectories(bundle);
    JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), RuncConfig.of(spec));
    List<String> run = runc.command("run", "--bundle", bundle.toString(), spec.id());
    Process started = new ProcessBuilder(supervision.commandLine(runc.command("kill", "--all", spec.id(), "KILL"), run))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    return new RuncContainer(runc, spec.id(), started);
  }

  public String id() {
    return id;
  }

  /** The pid of the process whose exit is the container's: {@code runc run}, or the wrapper it runs under. */
  public long pid() {
    return run.pid();
  }

  /** {@code runc run} (or the wrapper it runs under), whose exit is the container's. */
  public ProcessHandle handle() {
    return run.toHandle();
  }

  public boolean isAlive() {
    return run.isAlive();
  }

  /** Waits for the container to end; empty if it still runs after {@code timeout}. */
  public Optional<Exit> waitFor(Duration timeout) throws InterruptedException {
    if (!run.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return Optional.empty();
    }
    return Optional.of(new Exit(run.exitValue(), oom.oomKilled()));
  }

  /** Sends {@code signal} (e.g. {@code TERM}, {@code KILL}) to every process of the container. */
  public void kill(String signal) throws IOException, InterruptedException {
    runc.call("kill", "--all", id, signal);
  }

  /** Removes the container (killing what is left of it) and its cgroups. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (run.isAlive()) {
      runc.call("kill", "--all", id, "KILL");
      run.waitFor(10, TimeUnit.SECONDS);
    }
    runc.call("delete", "--force", id);
    oom.close();
  }

  /** The runc binary and the directory where it keeps its containers' state. */
  public record Runc(Path binary, Path stateRoot) {

    List<String> command(String... args) {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", stateRoot.toString()));
      command.addAll(List.of(args));
      return command;
    }

    boolean exists(String id) throws IOException, InterruptedException {
      Process state = new ProcessBuilder(command("state", id)).redirectErrorStream(true).start();
      state.getInputStream().readAllBytes();
      return state.waitFor() == 0;
    }

    /** The ids of the containers under {@link #stateRoot}, running or stopped. */
    List<String> list() throws IOException, InterruptedException {
      Process list = new ProcessBuilder(command("list", "--quiet")).redirectErrorStream(true).start();
      String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (list.waitFor() != 0) {
        throw new IOException("runc list failed: " + output.trim());
      }
      return output.lines().map(String::trim).filter(id -> !id.isEmpty()).toList();
    }

    /** What {@code runc ARGS} prints; empty when runc has no such container (any more). */
    Optional<String> output(String... args) throws IOException, InterruptedException {
      Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.waitFor() == 0) {
        return Optional.of(output);
      }
      if (output.contains("does not exist") || output.contains("not running")) {
        return Optional.empty();
      }
      throw new IOException("runc " + String.join(" ", args) + " failed: " + output);
    }

    void call(String... args) throws IOException, InterruptedException {
      Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.waitFor() != 0 && !output.contains("does not exist") && !output.contains("not running")) {
        throw new IOException("runc " + String.join(" ", args) + " failed: " + output);
      }
    }
  }
}
