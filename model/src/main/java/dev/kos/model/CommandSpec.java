package dev.kos.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a task runs: a shell line, or else an argv, with extra environment, as the agent's own user or as the host
 * user {@code user} names (process tasks only; a container runs as its image's user), and the {@code artifacts} the
 * agent fetches into its sandbox before it starts (for a process or a container task).
 */
public record CommandSpec(Optional<String> shell, List<String> argv, Map<String, String> env, Optional<String> user,
    List<Artifact> artifacts) {

  public CommandSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    user = user.filter(name -> !name.isBlank());
    artifacts = List.copyOf(artifacts);
  }

  /** A command without artifacts. */
  public CommandSpec(Optional<String> shell, List<String> argv, Map<String, String> env, Optional<String> user) {
    this(shell, argv, env, user, List.of());
  }

  /** A command run as the agent's own user. */
  public CommandSpec(Optional<String> shell, List<String> argv, Map<String, String> env) {
    this(shell, argv, env, Optional.empty());
  }

  /** No command of its own: a container task's, which runs what its container says. */
  public static final CommandSpec NONE = new CommandSpec(Optional.empty(), List.of(), Map.of());

  public static CommandSpec shell(String line) {
    return new CommandSpec(Optional.of(line), List.of(), Map.of());
  }

  public CommandSpec withEnv(Map<String, String> newEnv) {
    return new CommandSpec(shell, argv, newEnv, user, artifacts);
  }

  /** This command run as the host user {@code name}. */
  public CommandSpec asUser(String name) {
    return new CommandSpec(shell, argv, env, Optional.of(name), artifacts);
  }

  /** This command with {@code newArtifacts} fetched into its sandbox first. */
  public CommandSpec withArtifacts(List<Artifact> newArtifacts) {
    return new CommandSpec(shell, argv, env, user, newArtifacts);
  }
}
