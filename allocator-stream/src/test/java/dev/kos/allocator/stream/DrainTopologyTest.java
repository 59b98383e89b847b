package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.Offer;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.UndrainAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drain and undrain commands through the allocator topology: offers, answers and status events. */
class DrainTopologyTest {

  private static final Duration ROUND = Duration.ofMillis(50);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.agent("a2", 2, 2048);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldRescindTheDrainedAgentsOffersAndOfferItNoMore() {
    allocator.advance(ROUND);
    Offer onA1 = offerOn("a1", allocator.offers());

    allocator.command("c1", new DrainAgent("a1"));
    allocator.advance(Duration.ofSeconds(2));

    assertThat(allocator.rescinds(allocator.read(Topics.OFFERS))).singleElement().satisfies(r -> {
      assertThat(r.getOfferId()).isEqualTo(onA1.getOfferId());
      assertThat(r.getReason()).isEqualTo("agent a1 is draining");
    });
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofSeconds(2));
    assertThat(allocator.offers()).noneMatch(o -> o.getAgentId().equals("a1"));
    CommandResult result = result("c1");
    assertThat(result.getStatus()).isEqualTo(CommandStatus.ACCEPTED);
    assertThat(result.getHandledBy()).isEqualTo("allocator");
  }

  @Test
  void shouldKeepTasksRunningAndReportDrainingThenDrainedWhenTheLastTaskEnds() {
    allocator.advance(ROUND);
    allocator.launch(offerOn("a1", allocator.offers()), "t1", 1, 1024);

    allocator.command("c1", new DrainAgent("a1"));
    assertThat(allocator.read(Topics.PLACEMENTS)).as("the launch before the drain stands").hasSize(1);
    assertThat(statuses()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("AGENT_DRAINING");
      assertThat(s.getFramework()).isEqualTo("allocator");
      assertThat(s.getTarget()).isEqualTo("a1");
      assertThat(s.getCounts()).containsEntry("tasks", 1);
    });

    allocator.status("a1", "web", "t1", TaskState.RUNNING);
    assertThat(statuses()).isEmpty();
    allocator.status("a1", "web", "t1", TaskState.KILLED);

    assertThat(statuses()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("AGENT_DRAINED");
      assertThat(s.getCounts()).containsEntry("tasks", 0);
      assertThat(s.getMessage()).contains("can be stopped");
    });
    allocator.advance(Duration.ofSeconds(1));
    assertThat(allocator.offers()).as("what the task freed is not offered").noneMatch(o -> o.getAgentId().equals("a1"));
  }

  @Test
  void shouldReportAnIdleAgentDrainedAtOnce() {
    allocator.command("c1", new DrainAgent("a2"));

    assertThat(statuses()).extracting(StatusEvent::getKind).containsExactly("AGENT_DRAINING", "AGENT_DRAINED");
  }

  @Test
  void shouldOfferAnUndrainedAgentAgain() {
    allocator.command("c1", new DrainAgent("a1"));
    allocator.advance(Duration.ofSeconds(1));
    allocator.offers();

    allocator.command("c2", new UndrainAgent("a1"));
    allocator.advance(Duration.ofSeconds(1));

    assertThat(allocator.offers()).anyMatch(o -> o.getAgentId().equals("a1"));
    assertThat(statuses()).extracting(StatusEvent::getKind).endsWith("AGENT_UNDRAINED");
    assertThat(result("c2").getStatus()).isEqualTo(CommandStatus.ACCEPTED);
  }

  @Test
  void shouldRejectADrainOfAnUnknownAgentWithTheReason() {
    allocator.command("c1", new DrainAgent("ghost"));

    CommandResult result = result("c1");
    assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
    assertThat(result.getReason()).contains("cannot drain agent ghost").contains("kos agent list");
    assertThat(statuses()).isEmpty();
  }

  @Test
  void shouldRejectADrainFromAPrincipalWithoutAdminNamingThePermissionAndLeaveTheAgentOffered() {
    allocator.close();
    allocator = new AllocatorDriver(stateDir.resolve("secured"), AllocatorDriver.SETTINGS.withAccess(
        AccessPolicy.parse("policy", List.of("ops @all:admin", "alice web:operate"))));
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);

    allocator.command("c1", "alice", new DrainAgent("a1"));
    allocator.command("c2", "mallory", new UndrainAgent("a1"));
    allocator.advance(Duration.ofSeconds(1));

    List<CommandResult> results = allocator.read(Topics.COMMAND_RESULTS).stream().map(Keyed::value).toList();
    assertThat(results).extracting(CommandResult::getStatus).containsExactly(CommandStatus.REJECTED,
        CommandStatus.REJECTED);
    assertThat(results.get(0).getReason())
        .isEqualTo("principal alice lacks the permission admin on the cluster (@all:admin) (it has web:operate)");
    assertThat(results.get(1).getReason()).startsWith("principal mallory is not in the access policy");
    assertThat(statuses()).isEmpty();
    assertThat(allocator.offers()).anyMatch(o -> o.getAgentId().equals("a1"));

    allocator.command("c3", "ops", new DrainAgent("a1"));
    assertThat(result("c3").getStatus()).isEqualTo(CommandStatus.ACCEPTED);
  }

  @Test
  void shouldIgnoreCommandsForFrameworksAndDeadLetterAnUndecodableOne() {
    allocator.publishRaw(Topics.COMMANDS, "a1", "garbage".getBytes());
    allocator.command("c1", new ScaleApp("web", 3));
    allocator.command("c2", new DrainAgent("a1"));

    assertThat(allocator.read(Topics.DEAD_LETTERS)).singleElement()
        .satisfies(d -> assertThat(d.value().getTopic()).isEqualTo("kos.commands"));
    assertThat(allocator.read(Topics.COMMAND_RESULTS)).extracting(Keyed::key).containsExactly("c2");
  }

  private CommandResult result(String commandId) {
    List<Keyed<CommandResult>> results = allocator.read(Topics.COMMAND_RESULTS);
    return results.stream().filter(r -> r.key().equals(commandId)).map(Keyed::value).findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + commandId + " in " + results));
  }

  private List<StatusEvent> statuses() {
    return allocator.read(Topics.STATUS).stream().map(Keyed::value).toList();
  }

  private static Offer offerOn(String agentId, List<Offer> offers) {
    return offers.stream().filter(o -> o.getAgentId().equals(agentId)).findFirst()
        .orElseThrow(() -> new AssertionError("no offer on " + agentId + " in " + offers));
  }
}
