package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.common.FromEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Rules every command of the tree keeps, walked from the root so a new command cannot slip past them. */
class CommandTreeTest {

  @TempDir
  static Path home;

  /** Variables a user may well have set for other reasons; none may change what kos's commands do. */
  private static Map<String, String> unrelatedEnvironment() {
    return Map.of("KOS_HOME", home.toString(), "KOS_VERSION", "4.3.1", "KOS_HELP", "please", "KOS_JAVA_OPTS", "-Xmx1g",
        "KOS_JSON", "maybe", "KOS_TIMEOUT", "soon");
  }

  static Stream<String> commands() {
    CommandLine root = Kos.commandLine(Map.of("KOS_HOME", home.toString()), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    List<String> paths = new ArrayList<>();
    walk(root, "", paths);
    return paths.stream();
  }

  private static void walk(CommandLine command, String path, List<String> paths) {
    paths.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().name().equals(name)) {
        walk(sub, (path + " " + name).strip(), paths);
      }
    });
  }

  @ParameterizedTest(name = "kos {0} --help")
  @MethodSource("commands")
  void helpExitsZeroEverywhereWhateverTheEnvironment(String path) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
    if (path.startsWith("bench ")) {
      // A benchmark's help comes from its own JVM when the bench module is built; a directory without it makes
      // the answer the same on every machine (this command's usage and how to build the benchmarks).
      args.addAll(List.of("--bench-dir", home.toString()));
    }
    args.add("--help");

    int code = Kos.run(unrelatedEnvironment(), new PrintWriter(out, true), new PrintWriter(err, true),
        args.toArray(String[]::new));

    assertThat(code).as("exit code of kos %s --help; stderr: %s", path, err).isZero();
    assertThat(out.toString()).as("kos %s --help", path).contains("Usage: kos");
  }

  @CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("a bug");
    }
  }

  /** Exit 1 is a command's answer (rejected, not found); a command that crashed exits 70 and says why. */
  @Test
  void aCommandThatCrashesExitsWithItsOwnCodeNotTheRejectedOne() {
    StringWriter err = new StringWriter();
    CommandLine kos = Kos.commandLine(Map.of("KOS_HOME", home.toString()), new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));
    kos.addSubcommand(new CommandLine(new Boom()).setExecutionExceptionHandler(kos.getExecutionExceptionHandler())
        .setErr(kos.getErr()));

    assertThat(kos.execute("boom")).isEqualTo(Kos.CRASHED);
    assertThat(err.toString()).contains("kos: the command failed: java.lang.IllegalStateException: a bug");
  }

  @Test
  void everyOptionThatReadsTheEnvironmentSaysWhichVariableAndNoOtherClaimsTo() {
    List<String> wrong = new ArrayList<>();
    commands().forEach(path -> {
      CommandLine command = Kos.commandLine(Map.of("KOS_HOME", home.toString()), new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()));
      for (String name : path.isEmpty() ? new String[0] : path.split(" ")) {
        command = command.getSubcommands().get(name);
      }
      for (OptionSpec option : command.getCommandSpec().options()) {
        String description = String.join(" ", option.description());
        boolean says = description.contains(KosDefaults.envName(option));
        if (KosDefaults.readsEnvironment(option) != says) {
          wrong.add("kos " + path + " " + option.longestName() + (says ? " names " + KosDefaults.envName(option)
              + " but is not @FromEnvironment" : " is @FromEnvironment but its description does not name "
              + KosDefaults.envName(option)));
        }
      }
    });
    assertThat(wrong).isEmpty();
  }
}
