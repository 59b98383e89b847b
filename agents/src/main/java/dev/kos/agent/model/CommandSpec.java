package dev.kos.agent.model;

import java.util.List;
import java.util.Map;

/**
 * What a task runs: a shell command ({@code shell}, may be null) or an argv executed directly, and as which host
 * user ({@code user}; null: the agent's own).
 */
public record CommandSpec(String shell, List<String> argv, Map<String, String> env, String user) {
  public CommandSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (user != null && user.isBlank()) {
      user = null;
    }
  }

  /** A command run as the agent's own user. */
  public CommandSpec(String shell, List<String> argv, Map<String, String> env) {
    this(shell, argv, env, null);
  }

  /** The argv to execute: {@code /bin/sh -c shell} when a shell command is given, else argv. */
  public List<String> commandLine() {
    if (shell != null && !shell.isBlank()) {
      return List.of("/bin/sh", "-c", shell);
    }
    return argv;
  }

  public boolean runnable() {
    return !commandLine().isEmpty();
  }
}
