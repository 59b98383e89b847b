package dev.kos.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.chaos.history.History.AppInstance;
import dev.kos.chaos.history.History.Capacity;
import dev.kos.chaos.history.History.DeadLetterEntry;
import dev.kos.chaos.history.History.Injection;
import dev.kos.chaos.history.History.Launch;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.ProcessSample;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.chaos.history.History.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each check passes on a good history and fails, with evidence, on a bad one. */
class ChecksTest {

  private static final Capacity AGENT = new Capacity(1, 256, 100);
  private static final Capacity SMALL = new Capacity(0.4, 64, 0);
  private static final Duration STATUS_BOUND = Duration.ofSeconds(10);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

  static Stream<Arguments> histories() {
    History agents = History.empty().withAgentTotals(Map.of("a1", AGENT, "a2", AGENT));
    return Stream.of(
        // A: capacity and ports, replayed per agent
        Arguments.of("A", "two tasks that fit", agents.withLaunches(List.of(
            launch(1, "t1", "a1", SMALL, 31000), launch(2, "t2", "a1", SMALL, 31001))), true, "over-allocations=0"),
        Arguments.of("A", "a third task over the agent's cpus", agents.withLaunches(List.of(
            launch(1, "t1", "a1", SMALL), launch(2, "t2", "a1", SMALL), launch(3, "t3", "a1", SMALL))),
            false, "over-allocations=1"),
        Arguments.of("A", "a third task after one ended", agents.withLaunches(List.of(
            launch(1, "t1", "a1", SMALL), launch(2, "t2", "a1", SMALL), launch(4, "t3", "a1", SMALL)))
            .withStatuses(List.of(status(3, "t1", "a1", "FINISHED"))), true, "over-allocations=0"),
        Arguments.of("A", "the same task size on two agents", agents.withLaunches(List.of(
            launch(1, "t1", "a1", SMALL), launch(2, "t2", "a1", SMALL), launch(3, "t3", "a2", SMALL))),
            true, "over-allocations=0"),
        Arguments.of("A", "a terminal status from an agent with nothing launched yet (a dropped accept)",
            agents.withStatuses(List.of(status(1, "t0", "a2", "DROPPED"))).withLaunches(List.of(
                launch(2, "t1", "a1", SMALL))), true, "over-allocations=0"),
        Arguments.of("A", "a port held twice", agents.withLaunches(List.of(
            launch(1, "t1", "a1", SMALL, 31000), launch(2, "t2", "a1", SMALL, 31000))), false, "port-clashes=1"),
        Arguments.of("A", "a terminal status on an agent with no launch yet (a DROPPED accept)", agents
            .withLaunches(List.of(launch(2, "t2", "a1", SMALL)))
            .withStatuses(List.of(status(1, "t1", "a2", "DROPPED"))), true, "over-allocations=0"),
        Arguments.of("A", "a launch on an agent that never reported", agents.withLaunches(List.of(
            launch(1, "t1", "ghost", SMALL))), false, "over-allocations=1"),
        Arguments.of("A", "a DROPPED answer on an agent that launched nothing yet", agents.withLaunches(List.of(
            launch(2, "t1", "a2", SMALL))).withStatuses(List.of(status(1, "late.1", "a1", "DROPPED"))), true,
            "over-allocations=0"),
        // B: one launch per task id
        Arguments.of("B", "distinct task ids", History.empty().withLaunches(List.of(
            launch(1, "t1", "a1", SMALL), launch(2, "t2", "a2", SMALL))), true, "duplicates=0"),
        Arguments.of("B", "a task launched twice", History.empty().withLaunches(List.of(
            launch(1, "t1", "a1", SMALL), launch(2, "t1", "a2", SMALL))), false, "duplicates=1"),
        // C: one process per apps instance at every sample
        Arguments.of("C", "one task per instance", History.empty().withSamples(List.of(
            sample(1, live("/web.i1.0", "a1"), live("/web.i2.0", "a1")))), true, "duplicates=0"),
        Arguments.of("C", "old and new attempt of an instance at once", History.empty().withSamples(List.of(
            sample(1, live("/web.i1.0", "a1")), sample(2, live("/web.i1.0", "a1"), live("/web.i1.1", "a2")))),
            false, "duplicates=1"),
        Arguments.of("C", "nothing sampled", History.empty(), false, "samples=0"),
        // D: processes = kos.tasks = kos.apps at quiescence
        Arguments.of("D", "the three views agree", History.empty().withQuiescent(sample(5, live("/web.i1.0", "a1")))
            .withTasks(Map.of("/web.i1.0", "RUNNING", "/web.i0.0", "LOST"))
            .withInstances(List.of(new AppInstance("/web", "/web.i1.0", "RUNNING"))), true, "orphans=0"),
        Arguments.of("D", "a process kos.tasks calls LOST", History.empty()
            .withQuiescent(sample(5, live("/web.i1.0", "a1"), live("/web.i1.1", "a2")))
            .withTasks(Map.of("/web.i1.0", "LOST", "/web.i1.1", "RUNNING"))
            .withInstances(List.of(new AppInstance("/web", "/web.i1.1", "RUNNING"))), false, "orphans=1"),
        Arguments.of("D", "an instance with no process", History.empty().withQuiescent(sample(5))
            .withTasks(Map.of("/web.i1.0", "RUNNING"))
            .withInstances(List.of(new AppInstance("/web", "/web.i1.0", "RUNNING"))), false, "processes=0"),
        Arguments.of("D", "never settled", History.empty(), false, "D FAILED"),
        // E: a status for every launch within the bound
        Arguments.of("E", "answered in time", History.empty().withEndedAt(60_000)
            .withLaunches(List.of(launch(1_000, "t1", "a1", SMALL)))
            .withStatuses(List.of(status(1_500, "t1", "a1", "STARTING"))), true, "late=0"),
        Arguments.of("E", "answered late", History.empty().withEndedAt(60_000)
            .withLaunches(List.of(launch(1_000, "t1", "a1", SMALL)))
            .withStatuses(List.of(status(20_000, "t1", "a1", "STARTING"))), false, "late=1"),
        Arguments.of("E", "never answered", History.empty().withEndedAt(60_000)
            .withLaunches(List.of(launch(1_000, "t1", "a1", SMALL))), false, "late=1"),
        Arguments.of("E", "not answered yet, inside the bound", History.empty().withEndedAt(5_000)
            .withLaunches(List.of(launch(1_000, "t1", "a1", SMALL))), true, "pending=1"),
        // F: canary answered in time, no lag
        Arguments.of("F", "recovered", History.empty().withRecovery(
            new Recovery(1_000, OptionalLong.of(4_000), Map.of("kos-apps t.commands-0", 0L))), true, "recover-ms=3000"),
        Arguments.of("F", "canary never answered", History.empty().withRecovery(
            new Recovery(1_000, OptionalLong.empty(), Map.of())), false, "recover-ms=-1"),
        Arguments.of("F", "canary too slow", History.empty().withRecovery(
            new Recovery(1_000, OptionalLong.of(30_000), Map.of())), false, "recover-ms=29000"),
        Arguments.of("F", "a consumer left behind", History.empty().withRecovery(
            new Recovery(1_000, OptionalLong.of(2_000), Map.of("kos-allocator t.accepts-1", 3L))), false,
            "lagging-partitions=1"),
        // G: one dead letter per injected record and consumer, with a reason
        Arguments.of("G", "each consumer dead-letters once", History.empty()
            .withInjections(List.of(new Injection("t.task-status", 0, 7, "garbage")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.task-status", 0, 7, "allocator", "undecodable: x"),
                new DeadLetterEntry("t.task-status", 0, 7, "apps", "undecodable: x"))), true, "missing=0"),
        Arguments.of("G", "no dead letter", History.empty()
            .withInjections(List.of(new Injection("t.accepts", 1, 3, "null value"))), false, "missing=1"),
        Arguments.of("G", "a replayed dead letter", History.empty()
            .withInjections(List.of(new Injection("t.accepts", 1, 3, "null value")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.accepts", 1, 3, "allocator", "null"),
                new DeadLetterEntry("t.accepts", 1, 3, "allocator", "null"))), false, "duplicates=1"),
        Arguments.of("G", "a dead letter without a reason", History.empty()
            .withInjections(List.of(new Injection("t.accepts", 1, 3, "null value")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.accepts", 1, 3, "allocator", " "))), false,
            "unexplained=1"),
        Arguments.of("G", "a table row's dead letter names its key, not its position", History.empty()
            .withInjections(List.of(new Injection("t.roles", 0, 4, "*", "weight 0")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.roles", -1, -1, "*", "allocator", "rejected: weight"))),
            true, "missing=0"),
        Arguments.of("G", "a table row's dead letter of another key", History.empty()
            .withInjections(List.of(new Injection("t.roles", 0, 4, "*", "weight 0")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.roles", -1, -1, "web", "allocator", "rejected: weight"))),
            false, "missing=1"),
        Arguments.of("G", "a table row dead-lettered on every round", History.empty()
            .withInjections(List.of(new Injection("t.frameworks", 1, 9, "apps", "weight -1")))
            .withDeadLetters(List.of(new DeadLetterEntry("t.frameworks", -1, -1, "apps", "allocator", "rejected"),
                new DeadLetterEntry("t.frameworks", -1, -1, "apps", "allocator", "rejected"))), false, "duplicates=1"),
        // H: nothing left at teardown
        Arguments.of("H", "all gone", History.empty().withTeardown(sample(9)), true, "orphans=0"),
        Arguments.of("H", "a task survived", History.empty().withTeardown(sample(9, live("/web.i1.0", "a1"))),
            false, "orphans=1"),
        Arguments.of("H", "teardown never sampled", History.empty(), false, "H FAILED"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("histories")
  void shouldJudgeTheHistory(String check, String description, History history, boolean passes, String shows) {
    Function<History, Verdict> judge = Checks.byName(STATUS_BOUND, RECOVERY_BOUND).get(check);

    Verdict verdict = judge.apply(history);

    assertThat(verdict.passed()).as(verdict.summary()).isEqualTo(passes);
    assertThat(verdict.summary()).contains(shows);
    if (!passes) {
      assertThat(verdict.evidence()).as("a failure says why").isNotEmpty();
    }
  }

  static Stream<Arguments> wanted() {
    History three = History.empty().withInstances(List.of(new AppInstance("/web", "/web.i1.0", "RUNNING"),
        new AppInstance("/web", "/web.i2.0", "RUNNING"), new AppInstance("/web", "/web.i3.0", "RUNNING"),
        new AppInstance("/web", "/web.i0.0", "KILLED")));
    return Stream.of(
        Arguments.of("as many running as wanted", three, Map.of("/web", 3), true, "missing=0"),
        Arguments.of("an accepted scale forgotten", three, Map.of("/web", 6), false, "missing=3"),
        Arguments.of("an app with none running", History.empty(), Map.of("/web", 1), false, "missing=1"));
  }

  @ParameterizedTest(name = "W: {0}")
  @MethodSource("wanted")
  void shouldJudgeTheWantedCount(String description, History history, Map<String, Integer> wanted, boolean passes,
      String shows) {
    Verdict verdict = Checks.wantedInstances(history, wanted);

    assertThat(verdict.passed()).as(verdict.summary()).isEqualTo(passes);
    assertThat(verdict.summary()).contains(shows);
  }

  static Stream<Arguments> outages() {
    History running = History.empty().withLaunches(List.of(
        new Launch(1_000, "/web.i1.0", "a1", "/web", SMALL, List.of()),
        new Launch(1_000, "/web.i2.0", "a2", "/web", SMALL, List.of()),
        new Launch(1_000, "/canary.i1.0", "a2", "/canary", SMALL, List.of())))
        .withStatuses(List.of(status(1_500, "/web.i1.0", "a1", "RUNNING"), status(1_500, "/web.i2.0", "a2", "RUNNING"),
            status(2_000, "/canary.i1.0", "a2", "KILLED")));
    return Stream.of(
        Arguments.of("every task kept running", running.withStatuses(List.of(
            status(1_500, "/web.i1.0", "a1", "RUNNING"), status(12_000, "/web.i1.0", "a1", "RUNNING"))), true,
            "lost=0 ended=0 relaunches=0"),
        Arguments.of("a task that ended before the fault", running, true, "relaunches=0"),
        Arguments.of("an agent declared lost", running.withStatuses(List.of(
            status(12_000, "/web.i1.0", "a1", "LOST"))), false, "lost=1"),
        Arguments.of("a LOST status for a task started during the fault", running.withStatuses(List.of(
            status(12_000, "/other.i1.0", "a1", "LOST"))), false, "lost=1"),
        Arguments.of("a running task killed", running.withStatuses(List.of(
            status(12_000, "/web.i2.0", "a2", "KILLED"))), false, "ended=1"),
        Arguments.of("an instance relaunched", running.withLaunches(List.of(
            new Launch(1_000, "/web.i1.0", "a1", "/web", SMALL, List.of()),
            new Launch(13_000, "/web.i1.1", "a2", "/web", SMALL, List.of()))), false, "relaunches=1"));
  }

  @ParameterizedTest(name = "L: {0}")
  @MethodSource("outages")
  void shouldJudgeWhatAnOutageLost(String description, History history, boolean passes, String shows) {
    Verdict verdict = Checks.noneLostThrough(history, java.util.Set.of("/web.i1.0", "/web.i2.0"), 10_000);

    assertThat(verdict.passed()).as(verdict.summary()).isEqualTo(passes);
    assertThat(verdict.summary()).contains(shows);
  }

  @org.junit.jupiter.api.Test
  void shouldFailAnOutageWithNothingRunning() {
    Verdict verdict = Checks.noneLostThrough(History.empty(), java.util.Set.of(), 10_000);

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.evidence()).containsExactly("no task ran when the fault began: nothing could be lost");
  }

  private static Launch launch(long at, String taskId, String agentId, Capacity needs, Integer... ports) {
    return new Launch(at, taskId, agentId, null, needs, List.of(ports));
  }

  private static Status status(long at, String taskId, String agentId, String state) {
    return new Status(at, taskId, agentId, state);
  }

  private static LiveTask live(String taskId, String agentId) {
    return new LiveTask(taskId, taskId.substring(0, taskId.indexOf('.')), agentId, List.of(100L));
  }

  private static ProcessSample sample(long at, LiveTask... live) {
    return new ProcessSample(at, List.of(live));
  }
}
