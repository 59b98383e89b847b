package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.TaskWatch.Outcome;
import dev.kos.allocator.core.TaskWatch.Phase;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the allocator waits for from agents (decision 0011). Answer timeout 120 s, retention 1000 s. A script of
 * "launch T SECOND", "status T SECOND running|terminal known|unknown", "lost T SECOND" (its agent was declared
 * lost), "back SECOND" (agent a1 reports again), "grace SECOND" and "check SECOND"; the row gives what the last
 * step decided and the task's phase after it.
 */
class TaskWatchTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration ANSWER = Duration.ofSeconds(120);
  private static final Duration RETENTION = Duration.ofSeconds(1000);

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("a launch is watched until its first status", "launch t1 0", "", "", Phase.STAGING),
        Arguments.of("any status answers a launch", "launch t1 0; status t1 1 running known", "", "", null),
        Arguments.of("a launch answered in time is not given up",
            "launch t1 0; status t1 100 running known; check 500", "", "", null),
        Arguments.of("a launch with no status within the answer timeout is given up",
            "launch t1 0; check 121", "", "t1", Phase.LOST),
        Arguments.of("not before the timeout", "launch t1 0; check 120", "", "", Phase.STAGING),
        Arguments.of("a task of a lost agent is watched as lost", "launch t1 0; lost t1 30", "", "", Phase.LOST),
        Arguments.of("its agent's return kills it", "launch t1 0; lost t1 30; back 40", "t1", "", Phase.KILLING),
        Arguments.of("a live status from its known agent kills it",
            "launch t1 0; check 121; status t1 130 running known", "t1", "", Phase.KILLING),
        Arguments.of("a live status while its agent is unknown waits for the agent's return",
            "launch t1 0; lost t1 30; status t1 35 running unknown", "", "", Phase.LOST),
        Arguments.of("its end reported while its agent was away: nothing to kill",
            "launch t1 0; lost t1 30; status t1 35 terminal unknown; back 40", "", "", null),
        Arguments.of("a kill confirmed by a terminal status ends the watch",
            "launch t1 0; lost t1 30; back 40; status t1 45 terminal known", "", "", null),
        Arguments.of("a kill left unconfirmed is given up after the answer timeout",
            "launch t1 0; lost t1 30; back 40; check 161", "", "t1", Phase.LOST),
        Arguments.of("a live status does not confirm a kill",
            "launch t1 0; lost t1 30; back 40; status t1 45 running known", "", "", Phase.KILLING),
        Arguments.of("the shard's own outage gives launches a whole timeout",
            "launch t1 0; grace 100; check 200", "", "", Phase.STAGING),
        Arguments.of("tasks declared lost are forgotten after the retention",
            "launch t1 0; lost t1 30; check 1031", "", "", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldWatchTasksUntilTheirAgentsAnswer(String name, String script, String killed, String givenUp, Phase phase) {
    TaskWatch watch = new TaskWatch(ANSWER, RETENTION);
    Outcome last = Outcome.NONE;
    for (String step : script.split(";\\s*")) {
      last = step(watch, step.split(" "));
    }
    assertThat(String.join(",", last.kill().stream().map(Launch::taskId).toList())).as("killed").isEqualTo(killed);
    assertThat(String.join(",", last.giveUp().stream().map(g -> g.task().taskId()).toList())).as("given up")
        .isEqualTo(givenUp);
    assertThat(watch.phase("t1")).as("phase").isEqualTo(phase);
  }

  /**
   * Whatever the order of events, the outcomes keep a stored copy equal to the watch (so a restart restores it),
   * a launch is never given up before the answer timeout, and only tasks declared lost are ever killed.
   */
  @Property(tries = 1000)
  void outcomesKeepTheStoreEqualAndGiveUpNothingEarly(
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 6) Integer> kinds,
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 3) Integer> tasks,
      @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 0, max = 90) Integer> gaps) {
    TaskWatch watch = new TaskWatch(ANSWER, RETENTION);
    Map<String, TaskWatch.Entry> stored = new HashMap<>();
    Map<String, Instant> launchedAt = new HashMap<>();
    Instant now = T0;
    for (int i = 0; i < Math.min(kinds.size(), Math.min(tasks.size(), gaps.size())); i++) {
      now = now.plusSeconds(gaps.get(i));
      String id = "t" + tasks.get(i);
      Launch task = launch(id);
      Phase before = watch.phase(id);
      Outcome outcome = switch (kinds.get(i)) {
        case 0 -> {
          launchedAt.put(id, now);
          yield watch.launched(task, now);
        }
        case 1 -> watch.status(id, false, true, now);
        case 2 -> watch.status(id, true, true, now);
        case 3 -> watch.agentLost(List.of(task), now);
        case 4 -> watch.agentBack("a1", now);
        case 5 -> watch.grace(now);
        default -> watch.check(now);
      };
      for (TaskWatch.GiveUp giveUp : outcome.giveUp()) {
        TaskWatch.Entry waiting = stored.get(giveUp.task().taskId());
        assertThat(waiting.phase()).isNotEqualTo(Phase.LOST);
        assertThat(Duration.between(waiting.since(), now)).as("waited for an answer").isGreaterThan(ANSWER);
        if (waiting.phase() == Phase.STAGING) {
          assertThat(Duration.between(launchedAt.get(giveUp.task().taskId()), now)).isGreaterThan(ANSWER);
        }
      }
      for (Launch killed : outcome.kill()) {
        assertThat(kinds.get(i) == 4 ? stored.get(killed.taskId()).phase() : before).isEqualTo(Phase.LOST);
      }
      outcome.changed().forEach(e -> stored.put(e.task().taskId(), e));
      outcome.removed().forEach(stored::remove);
      for (int t = 0; t < 4; t++) {
        TaskWatch.Entry entry = stored.get("t" + t);
        assertThat(entry == null ? null : entry.phase()).as("stored phase of t%d", t).isEqualTo(watch.phase("t" + t));
      }
    }
  }

  private static Outcome step(TaskWatch watch, String[] word) {
    Instant at = T0.plusSeconds(Integer.parseInt(word[word[0].equals("back") || word[0].equals("grace")
        || word[0].equals("check") ? 1 : 2]));
    return switch (word[0]) {
      case "launch" -> watch.launched(launch(word[1]), at);
      case "status" -> watch.status(word[1], word[3].equals("terminal"), word[4].equals("known"), at);
      case "lost" -> watch.agentLost(List.of(launch(word[1])), at);
      case "back" -> watch.agentBack("a1", at);
      case "grace" -> watch.grace(at);
      case "check" -> watch.check(at);
      default -> throw new IllegalArgumentException(String.join(" ", word));
    };
  }

  private static Launch launch(String taskId) {
    return new Launch(taskId, "web", "web", "a1", Resources.of(1, 1024));
  }
}
