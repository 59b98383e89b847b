package dev.kos.agent.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A task's own directory: its working directory, {@code stdout}, {@code stderr}, its volumes at
 * their container paths, and the agent's bookkeeping under {@code .kos/} (wrapper script,
 * recorded exit code, lease expiry mark, log shipping position).
 */
public record Sandbox(Path dir) {
  public Sandbox {
    dir = dir.toAbsolutePath();
  }

  public Path stdout() {
    return dir.resolve("stdout");
  }

  public Path stderr() {
    return dir.resolve("stderr");
  }

  public Path meta() {
    return dir.resolve(".kos");
  }

  public Path wrapper() {
    return meta().resolve("wrapper.sh");
  }

  public Path exitCodeFile() {
    return meta().resolve("exit_code");
  }

  /** Written by the wrapper's lease watchdog when it killed the task: why, in a sentence. */
  public Path leaseExpiredFile() {
    return meta().resolve("lease_expired");
  }

  /** Why the wrapper killed the task for a lapsed lease, if it did. */
  public Optional<String> leaseExpiry() {
    try {
      return Files.exists(leaseExpiredFile())
          ? Optional.of(Files.readString(leaseExpiredFile()).trim()).filter(why -> !why.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.of("the agent's task lease expired");
    }
  }

  public Path logPosition() {
    return meta().resolve("log-position.json");
  }

  public void create() throws IOException {
    Files.createDirectories(meta());
    for (Path output : List.of(stdout(), stderr())) {
      if (!Files.exists(output)) {
        Files.createFile(output);
      }
    }
  }

  /** The exit code the wrapper recorded, if the task ended and the wrapper lived to write it. */
  public Optional<Integer> recordedExitCode() {
    try {
      if (!Files.exists(exitCodeFile())) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(Files.readString(exitCodeFile()).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The last {@code lines} lines of stderr, for a FAILED status a person can act on; empty if none. */
  public String stderrTail(int lines) {
    if (!Files.exists(stderr())) {
      return "";
    }
    Deque<String> tail = new ArrayDeque<>(lines);
    try (var reader = Files.newBufferedReader(stderr(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (tail.size() == lines) {
          tail.removeFirst();
        }
        tail.addLast(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stderr of sandbox " + dir, e);
    }
    return String.join("\n", tail);
  }
}
