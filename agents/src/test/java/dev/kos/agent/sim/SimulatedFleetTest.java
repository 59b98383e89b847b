package dev.kos.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.KillRequest;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.model.TaskState;
import dev.kos.agent.sim.SimulatedFleet.Output;
import dev.kos.agent.sim.SimulatedFleet.Report;
import dev.kos.agent.sim.SimulatedFleet.Status;
import dev.kos.agent.testing.TaskBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The simulated fleet's transitions, driven by a fake clock: each row is a script and the statuses it must produce. */
class SimulatedFleetTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ResourceSet AGENT = new ResourceSet(1, 1024, 100, List.of(new PortRange(31000, 31001)));

  private static SimSpec spec(int agents, String durations, double failureRate) {
    return new SimSpec(agents, "sim", AGENT, Map.of(), TaskDurations.parse(durations), failureRate,
        Duration.ofSeconds(5), 42);
  }

  /** One step of a script: what happens at which second, on a fleet of two agents. */
  private record Step(long atSecond, BiFunction<SimulatedFleet, Instant, List<Output>> action) {
  }

  private static Step launch(long at, int agent, String taskId, double cpus) {
    return new Step(at, (fleet, now) -> fleet.launch(agent, TaskBuilder.task(taskId).cpus(cpus).build(), now));
  }

  private static Step kill(long at, int agent, String taskId) {
    return new Step(at, (fleet, now) -> fleet.kill(agent, new KillRequest(taskId, "fw-1", Duration.ZERO), now));
  }

  private static Step advance(long at) {
    return new Step(at, SimulatedFleet::advance);
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        Arguments.of("a task runs, then finishes when its time is up", 0.0,
            List.of(launch(0, 0, "t1", 0.5), advance(9), advance(10)),
            List.of("t1 STARTING", "t1 RUNNING", "t1 FINISHED")),
        Arguments.of("with failure rate 1 every task fails with exit code 1", 1.0,
            List.of(launch(0, 0, "t1", 0.5), advance(10)),
            List.of("t1 STARTING", "t1 RUNNING", "t1 FAILED exit 1")),
        Arguments.of("a kill ends a task as KILLED and its end time passes silently", 0.0,
            List.of(launch(0, 0, "t1", 0.5), kill(3, 0, "t1"), advance(20)),
            List.of("t1 STARTING", "t1 RUNNING", "t1 KILLED")),
        Arguments.of("a kill for a task the agent does not run is answered LOST", 0.0,
            List.of(launch(0, 0, "t1", 0.5), kill(1, 1, "t1"), kill(1, 0, "nope")),
            List.of("t1 STARTING", "t1 RUNNING", "t1 LOST", "nope LOST")),
        Arguments.of("a task that does not fit is an ERROR, and takes nothing", 0.0,
            List.of(launch(0, 0, "t1", 0.75), launch(0, 0, "t2", 0.5), launch(0, 1, "t3", 0.5)),
            List.of("t1 STARTING", "t1 RUNNING", "t2 ERROR", "t3 STARTING", "t3 RUNNING")),
        Arguments.of("a task id that runs already is not launched again", 0.0,
            List.of(launch(0, 0, "t1", 0.5), launch(1, 0, "t1", 0.5)),
            List.of("t1 STARTING", "t1 RUNNING")),
        Arguments.of("resources come back when a task ends", 0.0,
            List.of(launch(0, 0, "t1", 1), advance(10), launch(11, 0, "t2", 1)),
            List.of("t1 STARTING", "t1 RUNNING", "t1 FINISHED", "t2 STARTING", "t2 RUNNING")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void shouldAnswerEachScriptWithTheseStatuses(String name, double failureRate, List<Step> script, List<String> expected) {
    SimulatedFleet fleet = new SimulatedFleet(spec(2, "fixed:10s", failureRate), T0);
    List<String> statuses = new ArrayList<>();
    for (Step step : script) {
      step.action().apply(fleet, T0.plusSeconds(step.atSecond())).stream()
          .filter(output -> output instanceof Status)
          .map(output -> ((Status) output).update())
          .map(update -> update.taskId() + " " + update.state()
              + (update.state() == TaskState.FAILED ? " exit " + update.exitCode() : ""))
          .forEach(statuses::add);
    }
    assertThat(statuses).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldReportUsedResourcesWhenTheyChange() {
    SimulatedFleet fleet = new SimulatedFleet(spec(2, "fixed:10s", 0), T0);

    List<Output> launched = fleet.launch(1, TaskBuilder.task("t1").cpus(0.5).memMb(100).build(), T0);
    List<Output> ended = fleet.advance(T0.plusSeconds(10));

    assertThat(launched).filteredOn(output -> output instanceof Report).singleElement()
        .isEqualTo(new Report(1, new ResourceSet(0.5, 100, 0, List.of()), T0));
    assertThat(ended).filteredOn(output -> output instanceof Report && output.agent() == 1)
        .first().extracting(output -> ((Report) output).used().cpus()).isEqualTo(0.0);
    assertThat(fleet.used(0).cpus()).isZero();
  }

  @Test
  void shouldPaceReportsOfABurstOfLaunchesToOneHeldReportOfWhatIsUsedAtTheEndOfTheInterval() {
    SimulatedFleet fleet = new SimulatedFleet(spec(2, "fixed:10s", 0), T0);
    fleet.register();

    List<Integer> launched = new ArrayList<>();
    for (int task = 0; task < 3; task++) {
      launched.addAll(agents(fleet.launch(1, TaskBuilder.task("t" + task).cpus(0.25).memMb(100).build(),
          T0.plusMillis(10 + task))));
    }
    List<Output> early = fleet.advance(T0.plusMillis(249));
    List<Output> due = fleet.advance(T0.plusMillis(250));
    List<Output> afterwards = fleet.advance(T0.plusMillis(400));

    assertThat(launched).isEmpty();
    assertThat(agents(early)).isEmpty();
    assertThat(due).singleElement().isEqualTo(new Report(1, new ResourceSet(0.75, 300, 0, List.of()), T0.plusMillis(250)));
    assertThat(agents(afterwards)).isEmpty();
  }

  @Test
  void shouldRegisterEveryAgentThenHeartbeatEachOncePerIntervalSpreadOverIt() {
    SimulatedFleet fleet = new SimulatedFleet(spec(10, "fixed:10s", 0), T0);

    assertThat(fleet.register()).extracting(Output::agent).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    List<Integer> firstHalf = agents(fleet.advance(T0.plusMillis(7_499)));
    List<Integer> secondHalf = agents(fleet.advance(T0.plusMillis(9_999)));
    List<Integer> nextRound = agents(fleet.advance(T0.plusMillis(10_000)));

    assertThat(firstHalf).containsExactly(0, 1, 2, 3, 4);
    assertThat(secondHalf).containsExactly(5, 6, 7, 8, 9);
    assertThat(nextRound).containsExactly(0);
  }

  @Test
  void shouldSkipHeartbeatRoundsMissedInAStallInsteadOfSendingABurst() {
    SimulatedFleet fleet = new SimulatedFleet(spec(10, "fixed:10s", 0), T0);

    List<Integer> afterStall = agents(fleet.advance(T0.plusSeconds(60)));

    assertThat(afterStall).containsExactly(0);
  }

  @Test
  void shouldDrawTheSameDurationsAndFailuresFromTheSameSeed() {
    assertThat(endTimes(spec(1, "exp:30s", 0.5))).isEqualTo(endTimes(spec(1, "exp:30s", 0.5)));
  }

  private static List<String> endTimes(SimSpec spec) {
    SimulatedFleet fleet = new SimulatedFleet(new SimSpec(1, "sim", new ResourceSet(100, 1024, 100, List.of()),
        Map.of(), spec.taskDurations(), spec.failureRate(), spec.heartbeatInterval(), spec.seed()), T0);
    for (int task = 0; task < 20; task++) {
      fleet.launch(0, TaskBuilder.task("t" + task).cpus(1).memMb(0).build(), T0);
    }
    List<String> ends = new ArrayList<>();
    for (int second = 1; second <= 600; second++) {
      Instant now = T0.plusSeconds(second);
      fleet.advance(now).stream().filter(output -> output instanceof Status)
          .map(output -> ((Status) output).update())
          .forEach(update -> ends.add(update.taskId() + " " + update.state() + " at " + now));
    }
    return ends;
  }

  private static List<Integer> agents(List<Output> outputs) {
    return outputs.stream().filter(output -> output instanceof Report).map(Output::agent).toList();
  }
}
