package dev.kos.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a task runs: a shell line, or else an argv, with extra environment, as the agent's own user or as the host
 * user {@code user} names (process tasks only; a container runs as its image's user).
 */
public record CommandSpec(Optional<String> shell, List<String> argv, Map<String, String> env, Optional<String> user) {

  public CommandSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    user = user.filter(name -> !name.isBlank());
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
    return new CommandSpec(shell, argv, newEnv, user);
  }

  /** This command run as the host user {@code name}. */
  public CommandSpec asUser(String name) {
    return new CommandSpec(shell, argv, env, Optional.of(name));
  }
}
