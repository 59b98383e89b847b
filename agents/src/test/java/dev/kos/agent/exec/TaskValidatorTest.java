package dev.kos.agent.exec;

import static dev.kos.agent.testing.TaskBuilder.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.HealthCheckSpec;
import dev.kos.agent.model.HealthProtocol;
import dev.kos.agent.testing.TaskBuilder;
import dev.kos.model.ContainerSpec;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskValidatorTest {
  private static final ContainerSpec IMAGE = ContainerSpec.of("oci:/images/web:1");

  private static HealthCheckSpec check(HealthProtocol protocol, int portIndex) {
    return new HealthCheckSpec(protocol, "true", "/", portIndex, Duration.ZERO, Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1);
  }

  static Stream<Arguments> tasks() {
    return Stream.of(
        Arguments.of("a shell command is fine", task("t").shell("true"), null),
        Arguments.of("an argv is fine", task("t").argv("/bin/true"), null),
        Arguments.of("no command at all", task("t").noCommand(), "invalid command"),
        Arguments.of("a blank shell and no argv", task("t").shell("  "), "invalid command"),
        Arguments.of("an HTTP check on a port the task lacks", task("t").healthCheck(check(HealthProtocol.HTTP, 0)),
            "uses port index 0 but the task has 0 port(s)"),
        Arguments.of("a COMMAND check needs no port", task("t").healthCheck(check(HealthProtocol.COMMAND, 0)), null),
        Arguments.of("two volumes at one path",
            task("t").volume("v1", "r", "data").volume("v2", "r", "data"), "share the container path"),
        Arguments.of("one volume twice", task("t").volume("v1", "r", "a").volume("v1", "r", "b"), "asked for twice"),
        Arguments.of("a container runs its image's command", task("t").container(IMAGE), null),
        Arguments.of("a container with a shell line too", task("t").container(IMAGE).shell("./serve"),
            "say what runs there in its container's entrypoint and args, not in its command"),
        Arguments.of("a container as a host user", task("t").container(IMAGE).user("nobody"),
            "as the image's user; a host user (nobody) is for process tasks"),
        Arguments.of("a container with a volume", task("t").container(IMAGE).volume("v1", "r", "data"), null),
        Arguments.of("a container without memory", task("t").container(IMAGE).memMb(2),
            "a container's memory limit is at least 4 MiB, the task has 2 MiB"),
        Arguments.of("a container without cpus", task("t").container(IMAGE).cpus(0),
            "a container's cpu limit is above 0, the task has 0 cpus"),
        Arguments.of("a COMMAND check in a container",
            task("t").container(IMAGE).healthCheck(check(HealthProtocol.COMMAND, 0)), null),
        Arguments.of("a COMMAND check in a container without network",
            task("t").container(IMAGE.withNetwork(ContainerSpec.Network.NONE))
                .healthCheck(check(HealthProtocol.COMMAND, 0)), null),
        Arguments.of("an HTTP check of a container without network",
            task("t").container(IMAGE.withNetwork(ContainerSpec.Network.NONE)).port(31000, "http")
                .healthCheck(check(HealthProtocol.HTTP, 0)),
            "has no network (NONE), so its HTTP health check could not reach it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tasks")
  void shouldFindWhatMakesATaskUnlaunchable(String name, TaskBuilder task, String expected) {
    if (expected == null) {
      assertThat(TaskValidator.problem(task.build())).isEmpty();
    } else {
      assertThat(TaskValidator.problem(task.build())).hasValueSatisfying(
          problem -> assertThat(problem).contains(expected));
    }
  }
}
