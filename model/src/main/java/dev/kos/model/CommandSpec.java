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

  /**
   * The variable a JVM task finds its classpath in: the one {@link #jvm} gives it, which an agent that runs the task
   * as another user replaces by a copy that user can read (its sandbox's); for a task that gives none, the agent's own
   * classpath so mirrored, where the agent switches users.
   */
  public static final String CLASSPATH_ENV = "KOS_CLASSPATH";

  /** {@code java -cp "$KOS_CLASSPATH" ARGS...}, without a shell line to quote: {@code $0} is java. */
  private static final String JVM_LINE = "exec \"$0\" -cp \"$" + CLASSPATH_ENV + "\" \"$@\"";

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

  /**
   * A JVM on {@code classpath} (absolute paths on the agent's host, {@code DIR/*} for a directory's jars): argv
   * {@code /bin/sh -c 'exec "$0" -cp "$KOS_CLASSPATH" "$@"' JAVA ARGS...}, the classpath in {@value #CLASSPATH_ENV},
   * so that a task run as another user than the agent's runs it from a copy it can read.
   *
   * @param java the java executable
   * @param args the JVM's options, then its main class and the main's arguments
   */
  public static CommandSpec jvm(String java, List<String> args, String classpath) {
    List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", JVM_LINE, java));
    argv.addAll(args);
    return new CommandSpec(Optional.empty(), argv, Map.of(CLASSPATH_ENV, classpath));
  }

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
