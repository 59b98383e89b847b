package dev.kos.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.chaos.history.ProcessSampler.TaskCgroup;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A process that shed the task's environment is still the task's by its cgroup, and only by one of our agents'. */
class ProcessSamplerTest {

  private static final Map<String, String> SCOPES = Map.of("a1-0a1b2c3d", "a1", "a2-99887766", "a2");

  static Stream<Arguments> cgroups() {
    return Stream.of(
        Arguments.of("v1 freezer", "7:pids:/\n6:freezer:/kos/a1-0a1b2c3d/t-1\n0::/", Optional.of(new TaskCgroup("a1", "t-1"))),
        Arguments.of("v1 freezer under the agent's own cgroup", "6:freezer:/ci/job/kos/a2-99887766/chaos_web.1-0\n",
            Optional.of(new TaskCgroup("a2", "chaos_web.1-0"))),
        Arguments.of("v2", "0::/user.slice/kos/a1-0a1b2c3d/t-2\n", Optional.of(new TaskCgroup("a1", "t-2"))),
        Arguments.of("another test's agent of the same id", "6:freezer:/kos/a1-ffffffff/t-1\n", Optional.empty()),
        Arguments.of("the agent's scope itself, no task", "6:freezer:/kos/a1-0a1b2c3d\n", Optional.empty()),
        Arguments.of("no kos cgroup", "6:freezer:/\n4:memory:/process_api/abc\n0::/", Optional.empty()),
        Arguments.of("unreadable (empty)", "", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cgroups")
  void findsTheTaskOfAProcessByItsCgroup(String name, String procPidCgroup, Optional<TaskCgroup> expected) {
    assertThat(TaskCgroup.of(procPidCgroup, SCOPES)).isEqualTo(expected);
  }
}
