package dev.kos.cli.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.cli.Fixtures;
import dev.kos.schema.CommandStatus;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandOutcomeTest {

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("accepted, with the deployment it started",
            new CommandOutcome.Answered(Fixtures.result("c1", CommandStatus.ACCEPTED, null, "d1")), 0, false,
            "command c1 accepted by apps, deployment d1"),
        Arguments.of("accepted without a deployment",
            new CommandOutcome.Answered(Fixtures.result("c2", CommandStatus.ACCEPTED, null, null)), 0, false,
            "command c2 accepted by apps"),
        Arguments.of("rejected, with the reason",
            new CommandOutcome.Answered(Fixtures.result("c3", CommandStatus.REJECTED, "no app /nope", null)), 1, true,
            "command c3 rejected by apps: no app /nope"),
        Arguments.of("no answer: says who should have answered and how to start it",
            new CommandOutcome.Unanswered("c4", Duration.ofSeconds(30), Answerer.APPS_FRAMEWORK), 3, true,
            "no framework answered within 30s: is the apps framework running? (kos up starts it) Command c4"),
        Arguments.of("no answer from the allocator",
            new CommandOutcome.Unanswered("c5", Duration.ofSeconds(2), Answerer.ALLOCATOR), 3, true,
            "no allocator answered within 2s: is the allocator running?"),
        Arguments.of("sent without waiting",
            new CommandOutcome.Sent("c6", "kos.commands"), 0, false,
            "command c6 sent to kos.commands"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void shouldTellTheUserWhatBecameOfTheCommandAndExitAccordingly(String name, CommandOutcome outcome, int exitCode,
      boolean failed, String line) {
    assertThat(outcome.exitCode()).isEqualTo(exitCode);
    assertThat(outcome.failed()).isEqualTo(failed);
    assertThat(outcome.describe()).startsWith(line);
  }
}
