package dev.kos.cli.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Kos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code kos role} refuses before it sends anything: usage problems, exit code 2, saying what to change. */
class RoleCommandsTest {

  @TempDir
  static Path home;

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("role configure web", "kos role configure needs at least one of --weight, --priority,"
            + " --max-utilization"),
        Arguments.of("role quota web --limit cpus:x", "--limit: invalid entry 'cpus:x'"),
        Arguments.of("role quota web --guarantee cpus:-1", "--guarantee: invalid entry 'cpus:-1': must be a finite"
            + " number >= 0"),
        Arguments.of("role quota web --limit ports:[31000-31010]", "--limit: a quota counts cpus, mem and disk; ports"
            + " are not limited"),
        Arguments.of("role", "kos role needs a command: list, configure or quota"),
        Arguments.of("framework register f1 --name f", "Missing required option: '--framework-role=ROLE'"));
  }

  @ParameterizedTest(name = "kos {0}")
  @MethodSource("refusals")
  void refusesBeforeSending(String args, String message) {
    StringWriter err = new StringWriter();

    int code = Kos.run(Map.of("KOS_HOME", home.toString(), "KOS_BOOTSTRAP_SERVER", "127.0.0.1:1"),
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.split(" "));

    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }
}
