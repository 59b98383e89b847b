package dev.kos.agent.model;

import dev.kos.model.Artifact;
import java.util.List;
import java.util.Map;

/**
 * What a task runs: a shell command ({@code shell}, may be null) or an argv executed directly, as which host
 * user ({@code user}; null: the agent's own), and the {@code artifacts} fetched into its sandbox before it starts.
 */
public record CommandSpec(String shell, List<String> argv, Map<String, String> env, String user,
    List<Artifact> artifacts) {
  public CommandSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (user != null && user.isBlank()) {
      user = null;
    }
    // Null in a checkpoint written before artifacts existed.
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
  }

  /** A command without artifacts. */
  public CommandSpec(String shell, List<String> argv, Map<String, String> env, String user) {
    this(shell, argv, env, user, List.of());
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
