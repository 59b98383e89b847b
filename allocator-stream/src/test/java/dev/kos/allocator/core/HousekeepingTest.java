package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.AgentLiveness.Guard;
import dev.kos.allocator.core.Housekeeping.Step;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allocator's periodic check and what it tells the shell to do. Agent timeout 20 s (so a stall of 10 s), answer
 * timeout 30 s. A scenario is a script, each command at a second:
 *
 * <ul>
 *   <li>{@code agent A S}: agent A reports (registers or heartbeats);
 *   <li>{@code framework F T S}: framework F registers or heartbeats with a failover timeout of T seconds;
 *   <li>{@code launch TASK F A S}: F launches a task on A (from a fresh offer), watched until its agent answers;
 *   <li>{@code status TASK S}: the task's agent answers with a running status;
 *   <li>{@code drain A}: an operator drains A;
 *   <li>{@code back A S}: agent A, declared lost before, reports again;
 *   <li>{@code tick S} and {@code ticks FROM TO} (one a second): the periodic check.
 * </ul>
 *
 * The row gives the steps of the last command that returned any (rescinds, offers and unchanged decisions left
 * out) and the guard of the last tick.
 */
class HousekeepingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("an agent silent past the timeout is lost: its task is reported LOST and watched",
            "framework web 3600 0; agent a1 0; agent a2 0; launch t1 web a1 0; status t1 0;"
                + " agent a2 10; agent a2 20; ticks 1 21",
            List.of("LOST t1 (agent a1 sent no heartbeat for PT20S)", "watch t1 LOST", "agent a1 lost"), Guard.NONE),
        Arguments.of("an agent heard within the timeout is not lost",
            "framework web 3600 0; agent a1 0; agent a2 0; agent a1 5; agent a2 10; ticks 1 25", List.of(), Guard.NONE),
        Arguments.of("every agent silent at once: the shard suspects itself and gives launches a new timeout",
            "framework web 3600 0; agent a1 0; agent a2 0; launch t1 web a1 0; ticks 1 25",
            List.of("watch t1 STAGING"), Guard.ISOLATED),
        Arguments.of("after the shard stood still, nobody is lost and launches get a new timeout",
            "framework web 3600 0; agent a1 0; agent a2 0; launch t1 web a1 0; tick 1; tick 40",
            List.of("watch t1 STAGING"), Guard.RESUMED),
        Arguments.of("a launch its agent never answers is given up, reported LOST and freed",
            "framework web 3600 0; agent a1 0; launch t1 web a1 0; agent a1 10; agent a1 20; agent a1 30;"
                + " ticks 1 31",
            List.of("LOST t1 (no status from agent a1 within PT30S of the launch; the agent did not take the task"
                + " (see kos.dead-letters), or lost it)", "freed a1", "watch t1 LOST"), Guard.NONE),
        Arguments.of("the last task of a draining agent given up: the drain is complete",
            "framework web 3600 0; agent a1 0; launch t1 web a1 0; drain a1; agent a1 10; agent a1 20; agent a1 30;"
                + " ticks 1 31",
            List.of("LOST t1 (no status from agent a1 within PT30S of the launch; the agent did not take the task"
                + " (see kos.dead-letters), or lost it)", "drained a1", "watch t1 LOST"), Guard.NONE),
        Arguments.of("a framework silent past its failover timeout loses its tasks",
            "framework web 5 0; agent a1 0; launch t1 web a1 0; status t1 0; agent a1 5; ticks 1 6",
            List.of("failover web after PT5S kills [t1]"), Guard.NONE),
        Arguments.of("a framework is failed over once",
            "framework web 5 0; agent a1 0; launch t1 web a1 0; status t1 0; agent a1 5; ticks 1 6; agent a1 7;"
                + " tick 7", List.of("failover web after PT5S kills [t1]"), Guard.NONE),
        Arguments.of("a framework that heartbeats is not failed over",
            "framework web 5 0; agent a1 0; launch t1 web a1 0; status t1 0; framework web 5 4; agent a1 5;"
                + " ticks 1 8", List.of(), Guard.NONE),
        Arguments.of("a lost agent that returns has its replaced tasks killed",
            "framework web 3600 0; agent a1 0; agent a2 0; launch t1 web a1 0; status t1 0;"
                + " agent a2 10; agent a2 20; ticks 1 21; back a1 22",
            List.of("kill t1 (held)", "watch t1 KILLING"), Guard.NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldTellTheShellWhatToDo(String name, String script, List<String> steps, Guard guard) {
    Fixture fixture = new Fixture();
    for (String command : script.split(";\\s*")) {
      fixture.run(command);
    }
    assertThat(fixture.lastSteps).isEqualTo(steps);
    assertThat(fixture.lastGuard).isEqualTo(guard);
  }

  @ParameterizedTest(name = "checks at {0} s and {1} s: the second is skipped: {2}")
  @MethodSource("checkIntervals")
  void shouldCheckAtMostOncePerInterval(long firstMs, long secondMs, boolean skipped) {
    Fixture fixture = new Fixture();
    fixture.run("agent a1 0");
    fixture.housekeeping.tick(T0.plusMillis(firstMs));
    // The agent is long silent at the second check: a check that runs declares it lost.
    fixture.housekeeping.tick(T0.plusMillis(secondMs));
    assertThat(fixture.liveness.isWatched("a1")).isEqualTo(skipped);
  }

  static Stream<Arguments> checkIntervals() {
    return Stream.of(
        Arguments.of(21_000L, 21_500L, false),
        Arguments.of(20_000L, 20_999L, true),
        Arguments.of(20_000L, 21_000L, false));
  }

  /**
   * Whatever the timing of agents' reports, with a check every second: an agent heard within the timeout before a
   * check is never declared lost by it, and once the bus went quiet (the last record is more than a timeout old)
   * no agent of a shard of two or more is lost any more, since the shard rather suspects itself.
   */
  @Property(tries = 300)
  void neverLosesAnAgentHeardWithinTheTimeoutNorAnyWhileTheBusIsQuiet(
      @ForAll @IntRange(min = 2, max = 5) int agents,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 60) Integer> reportSeconds,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 4) Integer> reporters) {
    Fixture fixture = new Fixture();
    int quietFrom = 60;
    // Who reports when; two agents report last, so at least two are watched when the bus goes quiet.
    TreeMap<Integer, List<String>> schedule = new TreeMap<>();
    for (int i = 0; i < Math.min(reportSeconds.size(), reporters.size()); i++) {
      schedule.computeIfAbsent(reportSeconds.get(i), s -> new ArrayList<>()).add("a" + reporters.get(i) % agents);
    }
    schedule.computeIfAbsent(quietFrom, s -> new ArrayList<>()).addAll(List.of("a0", "a1"));
    Map<String, Instant> lastHeard = new HashMap<>();
    for (int second = 0; second <= 200; second++) {
      Instant now = T0.plusSeconds(second);
      for (String agentId : schedule.getOrDefault(second, List.of())) {
        fixture.report(agentId, now);
        lastHeard.put(agentId, now);
      }
      for (Step step : fixture.housekeeping.tick(now).steps()) {
        if (step instanceof Housekeeping.AgentLost lost) {
          assertThat(Duration.between(lastHeard.get(lost.agentId()), now)).as("silence of %s", lost.agentId())
              .isGreaterThan(AGENT_TIMEOUT);
          assertThat(now).as("declared %s lost while the bus was quiet", lost.agentId())
              .isBeforeOrEqualTo(T0.plusSeconds(quietFrom).plus(AGENT_TIMEOUT));
          lastHeard.remove(lost.agentId());
        }
      }
    }
  }

  /** An allocator core with its housekeeping, driven by script commands. */
  private static final class Fixture {
    final Allocator core = new Allocator(AllocatorConfig.defaults());
    final AgentLiveness liveness = new AgentLiveness(AGENT_TIMEOUT,
        Housekeeping.stallThreshold(AGENT_TIMEOUT, Duration.ofMillis(50)));
    final TaskWatch watch = new TaskWatch(ANSWER_TIMEOUT, Duration.ofDays(7));
    final FrameworkFailover<String> failover = new FrameworkFailover<>();
    final Housekeeping housekeeping = new Housekeeping(core, liveness, watch, failover, AGENT_TIMEOUT);
    List<String> lastSteps = List.of();
    Guard lastGuard = Guard.NONE;

    void run(String command) {
      String[] word = command.trim().split(" ");
      switch (word[0]) {
        case "agent" -> report(word[1], at(word[2]));
        case "framework" -> {
          if (failover.heard(word[1], word[1], Duration.ofSeconds(Long.parseLong(word[2])), at(word[3]))) {
            core.frameworkUpdated(FrameworkSpec.of(word[1], "*"));
          }
        }
        case "launch" -> launch(word[1], word[2], word[3], at(word[4]));
        case "status" -> watch.status(word[1], false, true, at(word[2]));
        case "drain" -> core.drain(word[1]);
        case "back" -> {
          report(word[1], at(word[2]));
          note(housekeeping.settle(watch.agentBack(word[1], at(word[2]))));
        }
        case "tick" -> tick(at(word[1]));
        case "ticks" -> {
          for (int s = Integer.parseInt(word[1]); s <= Integer.parseInt(word[2]); s++) {
            tick(T0.plusSeconds(s));
          }
        }
        default -> throw new IllegalArgumentException(command);
      }
    }

    void report(String agentId, Instant now) {
      core.agentReported(AgentSpec.of(agentId, Resources.of(4, 4096)));
      liveness.heard(agentId, now);
    }

    private void launch(String taskId, String frameworkId, String agentId, Instant now) {
      Offer offer = core.allocate(now).offers().stream().filter(o -> o.agentId().equals(agentId)).findFirst()
          .orElseThrow(() -> new AssertionError("no offer on " + agentId));
      Launch launch = core.accept(frameworkId, List.of(offer.offerId()),
          List.of(new TaskRequest(taskId, Resources.of(1, 512)))).launches().get(0);
      watch.launched(launch, now);
    }

    private void tick(Instant now) {
      Housekeeping.Tick tick = housekeeping.tick(now);
      lastGuard = tick.guard();
      note(tick.steps());
    }

    private void note(List<Step> steps) {
      List<String> described = steps.stream().flatMap(Fixture::describe).toList();
      if (!described.isEmpty()) {
        lastSteps = described;
      }
    }

    private static Stream<String> describe(Step step) {
      if (step instanceof Housekeeping.Apply) {
        return Stream.of();
      } else if (step instanceof Housekeeping.ReportLost lost) {
        return Stream.of("LOST " + lost.task().taskId() + " (" + lost.reason() + ")");
      } else if (step instanceof Housekeeping.Kill kill) {
        return Stream.of("kill " + kill.task().taskId() + (kill.held() ? " (held)" : ""));
      } else if (step instanceof Housekeeping.TaskFreed freed) {
        return Stream.of((freed.drained() ? "drained " : "freed ") + freed.agentId());
      } else if (step instanceof Housekeeping.StoreWatch store) {
        return Stream.concat(
            store.changed().stream().map(e -> "watch " + e.task().taskId() + " " + e.phase()),
            store.removed().stream().map(id -> "unwatch " + id));
      } else if (step instanceof Housekeeping.AgentLost lost) {
        return Stream.of("agent " + lost.agentId() + " lost");
      } else if (step instanceof Housekeeping.FrameworkFailedOver failedOver) {
        return Stream.of("failover " + failedOver.frameworkId() + " after " + failedOver.timeout() + " kills "
            + failedOver.orphans().stream().map(Launch::taskId).toList());
      }
      throw new AssertionError("unknown step " + step);
    }

    private static Instant at(String second) {
      return T0.plusSeconds(Integer.parseInt(second));
    }
  }
}
