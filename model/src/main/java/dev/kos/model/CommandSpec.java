package dev.kos.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a task runs: a shell line, or else an argv, with extra environment. */
public record CommandSpec(Optional<String> shell, List<String> argv, Map<String, String> env) {

  public CommandSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** No command of its own: a container task's, which runs what its container says. */
  public static final CommandSpec NONE = new CommandSpec(Optional.empty(), List.of(), Map.of());

  public static CommandSpec shell(String line) {
    return new CommandSpec(Optional.of(line), List.of(), Map.of());
  }

  public CommandSpec withEnv(Map<String, String> newEnv) {
    return new CommandSpec(shell, argv, newEnv);
  }
}
