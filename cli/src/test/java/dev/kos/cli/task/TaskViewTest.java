package dev.kos.cli.task;

import static dev.kos.cli.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Fixtures;
import dev.kos.schema.LogStream;
import dev.kos.schema.PortRange;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskViewTest {

  static Stream<Arguments> tasks() {
    TaskStatus running = Fixtures.task("web.i1.0", "/web", "a1", TaskState.RUNNING, null, NOW.minusSeconds(125));
    return Stream.of(
        Arguments.of("a running task without a message", running,
            new String[] {"web.i1.0", "/web", "a1", "RUNNING", "2m", "-", "-"}),
        Arguments.of("the health when checked", TaskStatus.newBuilder(running).setHealthy(false).build(),
            new String[] {"web.i1.0", "/web", "a1", "RUNNING (unhealthy)", "2m", "-", "-"}),
        Arguments.of("a failed task outside any app, with the agent's words",
            Fixtures.task("t9", null, "a2", TaskState.FAILED, "exited with code 1", NOW.minusSeconds(5)),
            new String[] {"t9", "-", "a2", "FAILED", "5s", "-", "exited with code 1"}),
        Arguments.of("the ports it holds", TaskStatus.newBuilder(running).setResources(Resources.newBuilder()
            .setCpus(0.1).setMem(32).setPorts(List.of(new PortRange(31000, 31000), new PortRange(31005, 31006)))
            .build()).build(),
            new String[] {"web.i1.0", "/web", "a1", "RUNNING", "2m", "31000,31005-31006", "-"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tasks")
  void shouldListATaskInOneRow(String name, TaskStatus status, String[] row) {
    assertThat(TaskView.listRow(status, NOW)).containsExactly(row);
  }

  @Test
  void shouldMarkKosOwnLinesAndLeaveTheTasksAsWritten() {
    assertThat(TaskView.logLine(Fixtures.log("t1", 1, LogStream.STDERR, "oops"))).isEqualTo("oops");
    assertThat(TaskView.logLine(Fixtures.log("t1", 2, LogStream.SYSTEM, "task killed"))).isEqualTo("[kos] task killed");
  }
}
