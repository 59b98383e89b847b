package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.AgentLiveness.Guard;
import dev.kos.allocator.core.AgentLiveness.Verdict;
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
 * Which agents are lost, with the guards against the shard's own isolation. Timeout 20 s, stall 10 s; a scenario
 * is a script of "hear AGENT SECOND", "check SECOND" and "checks FROM TO" (one check a second), and the row
 * gives the verdict of its last check.
 */
class AgentLivenessTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STALL = Duration.ofSeconds(10);

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("an agent silent past the timeout is lost",
            "hear a1 0; hear a2 0; hear a2 10; hear a2 20; checks 1 21", List.of("a1"), Guard.NONE),
        Arguments.of("an agent heard exactly a timeout ago is not lost yet",
            "hear a1 0; hear a2 0; hear a2 15; checks 1 20", List.of(), Guard.NONE),
        Arguments.of("a lone agent silent past the timeout is lost: no isolation guard below two agents",
            "hear a1 0; checks 1 21", List.of("a1"), Guard.NONE),
        Arguments.of("after the shard stood still, nobody is lost at the resume",
            "hear a1 0; hear a2 0; check 1; check 31", List.of(), Guard.RESUMED),
        Arguments.of("a gap just under the stall threshold is no freeze",
            "hear a1 0; hear a2 0; hear a2 12; checks 1 12; check 22", List.of("a1"), Guard.NONE),
        Arguments.of("after the resume, an agent still silent for a whole timeout is lost",
            "hear a1 0; hear a2 0; check 1; check 31; hear a2 40; checks 32 52", List.of("a1"), Guard.NONE),
        Arguments.of("every agent silent at once: the shard suspects itself",
            "hear a1 0; hear a2 0; hear a3 0; checks 1 60", List.of(), Guard.ISOLATED),
        Arguments.of("records flow again: everyone gets a timeout from then",
            "hear a1 0; hear a2 0; checks 1 30; hear a1 31; checks 31 50", List.of(), Guard.NONE),
        Arguments.of("records flow again: a still-silent agent is lost a timeout later",
            "hear a1 0; hear a2 0; checks 1 30; hear a1 31; hear a1 45; checks 31 52", List.of("a2"), Guard.NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldDecideWhichAgentsAreLost(String name, String script, List<String> lost, Guard guard) {
    AgentLiveness liveness = new AgentLiveness(TIMEOUT, STALL);
    Verdict verdict = null;
    for (String step : script.split(";\\s*")) {
      String[] word = step.split(" ");
      switch (word[0]) {
        case "hear" -> liveness.heard(word[1], at(word[2]));
        case "check" -> verdict = check(liveness, at(word[1]));
        case "checks" -> {
          for (int s = Integer.parseInt(word[1]); s <= Integer.parseInt(word[2]); s++) {
            verdict = check(liveness, T0.plusSeconds(s));
          }
        }
        default -> throw new IllegalArgumentException(step);
      }
    }
    assertThat(verdict).isEqualTo(new Verdict(lost, guard));
  }

  /**
   * Whatever the timing of records and rounds: no agent is declared lost within a timeout of the shard resuming,
   * and an agent heard within the timeout is never lost.
   */
  @Property(tries = 500)
  void neverLosesAnAgentHeardWithinTheTimeoutNorRightAfterAResume(
      @ForAll @IntRange(min = 1, max = 5) int agents,
      @ForAll @Size(min = 1, max = 150) List<@IntRange(min = 0, max = 45) Integer> gaps,
      @ForAll @Size(min = 1, max = 150) List<@IntRange(min = 0, max = 31) Integer> heard) {
    AgentLiveness liveness = new AgentLiveness(TIMEOUT, STALL);
    Map<String, Instant> lastHeard = new HashMap<>();
    Instant now = T0;
    Instant previousCheck = null;
    Instant resumedAt = null;
    for (int step = 0; step < Math.min(gaps.size(), heard.size()); step++) {
      // Mostly one-second rounds; a gap over 30 s stands for a freeze of the shard.
      int gap = gaps.get(step) > 30 ? gaps.get(step) : 1;
      now = now.plusSeconds(gap);
      for (int a = 0; a < agents; a++) {
        if ((heard.get(step) & (1 << a)) != 0 && (step + a) % 3 == 0) {
          liveness.heard("a" + a, now);
          lastHeard.put("a" + a, now);
        }
      }
      if (previousCheck != null && Duration.between(previousCheck, now).compareTo(STALL) > 0) {
        resumedAt = now;
      }
      previousCheck = now;
      for (String lost : liveness.check(now).lost()) {
        assertThat(Duration.between(lastHeard.get(lost), now)).as("silence of %s", lost).isGreaterThan(TIMEOUT);
        if (resumedAt != null) {
          assertThat(Duration.between(resumedAt, now)).as("time since the resume").isGreaterThan(TIMEOUT);
        }
        liveness.forget(lost);
        lastHeard.remove(lost);
      }
    }
  }

  private static Verdict check(AgentLiveness liveness, Instant now) {
    return liveness.check(now);
  }

  private static Instant at(String second) {
    return T0.plusSeconds(Integer.parseInt(second));
  }
}
