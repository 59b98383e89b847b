package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands arrive at least once. One row per delivery sequence of command ids (a repeated id is a
 * replay), from an app {@code /web} of 3 instances whose instance {@code w1} runs: the app's count at
 * the end, the kills carried out, and the answers given.
 */
class CommandReplayTest {

  private static final AppDefinition WEB = app("/web").instances(3).version("v0").build();
  private static final Instance W1 = new Instance("w1", "/web", "v0", Agent.of("a1"), 0,
      InstanceState.RUNNING, false, true, Instant.EPOCH, 0, Optional.empty(), Optional.empty(), List.of());
  private static final Map<String, AppCommand> COMMANDS = Map.of(
      "kill-scale", new AppCommand.KillInstance("w1", true),
      "kill", new AppCommand.KillInstance("w1", false),
      "scale-5", new AppCommand.Scale("/web", 5),
      "scale-bad", new AppCommand.Scale("/web", -1));

  record Row(String name, List<String> deliveries, String after) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a kill that scales down, replayed, scales down once", List.of("kill-scale", "kill-scale"),
            "instances=2 kills=1 answers=[ACCEPTED kill-scale, ACCEPTED kill-scale]"),
        new Row("a replayed kill does not kill the replacement", List.of("kill", "kill"),
            "instances=3 kills=1 answers=[ACCEPTED kill, ACCEPTED kill]"),
        new Row("a replay after later commands changes nothing", List.of("kill-scale", "scale-5", "kill-scale"),
            "instances=5 kills=1 answers=[ACCEPTED kill-scale, ACCEPTED scale-5, ACCEPTED kill-scale]"),
        new Row("a replayed rejection is rejected the same", List.of("scale-bad", "scale-bad"),
            "instances=3 kills=0 answers=[REJECTED scale-bad: app /web is invalid, REJECTED scale-bad: app /web is invalid]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldActOncePerCommandId(Row row) {
    CommandHandler handler = new CommandHandler(TenantPolicy.OPEN);
    Map<String, AppDefinition> apps = Map.of(WEB.id(), WEB);
    // the replacement of a killed w1 runs under the same instance id (as a stateful one does)
    List<Instance> instances = List.of(W1);
    CommandLog handled = CommandLog.EMPTY;
    int kills = 0;
    List<String> answers = new ArrayList<>();
    for (String id : row.deliveries()) {
      AppCommandOutcome outcome = handler.handle(apps, instances, handled,
          new CommandEnvelope(id, "alice", "*", Instant.EPOCH, COMMANDS.get(id)));
      handled = handled.with(HandledCommand.of(id, "/web", outcome));
      if (outcome instanceof AppCommandOutcome.Accepted accepted) {
        apps = accepted.apps();
        kills += accepted.kills().size();
      }
      HandledCommand answer = HandledCommand.of(id, "/web", outcome);
      answers.add((answer.accepted() ? "ACCEPTED " + answer.detail()
          : "REJECTED " + id + ": " + answer.detail().split(":")[0]));
    }

    assertThat("instances=" + apps.get("/web").instances() + " kills=" + kills + " answers=" + answers)
        .isEqualTo(row.after());
  }

  @Test
  void shouldKeepOnlyTheLatestCommandsOfEachApp() {
    CommandLog log = CommandLog.EMPTY.with(new HandledCommand("other", "/db", true, "other"));
    for (int i = 0; i < CommandLog.PER_APP + 10; i++) {
      log = log.with(new HandledCommand("c" + i, "/web", true, "c" + i));
    }

    assertThat(log.of("/web")).hasSize(CommandLog.PER_APP);
    assertThat(log.find("c9")).isEmpty();
    assertThat(log.find("c10")).isPresent();
    assertThat(log.find("other")).isPresent();
    assertThat(log.without("/web").byApp().keySet()).containsExactly("/db");
  }

  @Test
  void shouldNotRecordACommandTwice() {
    HandledCommand first = new HandledCommand("c1", "/web", true, "c1");
    CommandLog log = CommandLog.EMPTY.with(first).with(new HandledCommand("c1", "/web", false, "later"));

    assertThat(log.of("/web").stream().map(HandledCommand::detail).collect(Collectors.toList())).containsExactly("c1");
  }
}
