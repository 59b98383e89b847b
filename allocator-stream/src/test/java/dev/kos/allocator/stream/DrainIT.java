package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.CommandTargets;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.bus.testing.TestBus.Keyed;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.Decline;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.Resources;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UndrainAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining on the real broker, with a scripted framework and agents that only report: a drained agent
 * with a running task gets no more offers, stays drained across an allocator restart, is reported
 * drained once its task ends, and is offered again after an undrain.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DrainIT {

  private static final String FRAMEWORK = "fw";

  @TempDir
  Path stateDir;

  @Test
  void shouldStopOfferingADrainedAgentReportItDrainedAndOfferItAgainWhenUndrained(@BootstrapServers String bootstrap)
      throws Exception {
    String applicationId = "allocator-" + UUID.randomUUID();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        Heartbeats agents = new Heartbeats(bus, List.of("a1", "a2"));
        Tail<OfferEvent> offers = new Tail<>(bus, Topics.OFFERS);
        Tail<StatusEvent> statuses = new Tail<>(bus, Topics.STATUS);
        Tail<CommandResult> results = new Tail<>(bus, Topics.COMMAND_RESULTS)) {
      AllocatorService allocator = start(bus, applicationId, "first");
      int rescinded;
      try {
        bus.publish(Topics.FRAMEWORKS, FRAMEWORK, FrameworkInfo.newBuilder().setFrameworkId(FRAMEWORK).setName(FRAMEWORK)
            .setRole("web").setRegisteredAt(Instant.now()).build());
        Offer onA1 = (Offer) offers.awaitValue("an offer on a1", e -> isOfferOn(e, "a1")).getPayload();
        bus.publish(Topics.ACCEPTS, "a1", AcceptEvent.newBuilder().setPayload(Accept.newBuilder()
            .setOfferIds(List.of(onA1.getOfferId())).setFrameworkId(FRAMEWORK).setAgentId("a1").setTimestamp(Instant.now())
            .setOperations(List.of(LaunchOperation.newBuilder().setTasks(List.of(
                AllocatorDriver.task("t1", FRAMEWORK, 1, 512))).build())).build()).build());
        status("t1", TaskState.RUNNING, bus);
        offers.await("the rest of a1 offered again", e -> isOfferOn(e, "a1")
            && !((Offer) e.getPayload()).getOfferId().equals(onA1.getOfferId()));

        command(bus, "drain-1", new DrainAgent("a1"));
        assertThat(resultOf(results, "drain-1").getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        statuses.await("AGENT_DRAINING", s -> s.getKind().equals("AGENT_DRAINING") && s.getTarget().equals("a1"));
        rescinded = offers.await("a1's outstanding offer rescinded", e -> e.getPayload() instanceof OfferRescinded r
            && r.getAgentId().equals("a1") && r.getReason().equals("agent a1 is draining"));
        declineEverythingAndAwaitTheNextOfferOnA2(bus, offers);
      } finally {
        allocator.close();
      }

      allocator = start(bus, applicationId, "second");
      try {
        status("t1", TaskState.KILLED, bus);
        StatusEvent drained = statuses.awaitValue("AGENT_DRAINED after the restart",
            s -> s.getKind().equals("AGENT_DRAINED") && s.getTarget().equals("a1"));
        assertThat(drained.getFramework()).isEqualTo("allocator");
        assertThat(drained.getCounts()).containsEntry("tasks", 0);
        declineEverythingAndAwaitTheNextOfferOnA2(bus, offers);
        int mark = offers.seen().size();

        command(bus, "undrain-1", new UndrainAgent("a1"));
        assertThat(resultOf(results, "undrain-1").getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        statuses.await("AGENT_UNDRAINED", s -> s.getKind().equals("AGENT_UNDRAINED"));
        assertThat(offers.seen().subList(rescinded, mark)).as("no offer on a1 once drained, across the restart")
            .noneMatch(e -> isOfferOn(e.value(), "a1"));
        offers.await("an offer on a1 again", e -> isOfferOn(e, "a1"));
      } finally {
        allocator.close();
      }
    }
  }

  private AllocatorService start(TestBus bus, String applicationId, String dir) throws InterruptedException {
    // A short session, so the restarted allocator gets the closed one's shards without waiting 45 s for it.
    return AllocatorService.start(bus.bus(), AllocatorSettings.defaults(), applicationId, stateDir.resolve(dir),
        Map.of(StreamsConfig.consumerPrefix(CommonClientConfigs.SESSION_TIMEOUT_MS_CONFIG), 6000), Duration.ofSeconds(60));
  }

  /** Declines every outstanding offer briefly, so the next offer made is a fresh look at who is offerable. */
  private static void declineEverythingAndAwaitTheNextOfferOnA2(TestBus bus, Tail<OfferEvent> offers) {
    List<Keyed<OfferEvent>> seen = offers.seen();
    int from = seen.size();
    for (Keyed<OfferEvent> event : seen) {
      if (event.value().getPayload() instanceof Offer offer) {
        bus.publish(Topics.ACCEPTS, offer.getAgentId(), AcceptEvent.newBuilder().setPayload(Decline.newBuilder()
            .setOfferIds(List.of(offer.getOfferId())).setFrameworkId(FRAMEWORK).setAgentId(offer.getAgentId())
            .setRefuseSeconds(0.2).setTimestamp(Instant.now()).build()).build());
      }
    }
    TestBus.await("a new offer on a2", () -> {
      List<Keyed<OfferEvent>> all = offers.seen();
      return all.subList(from, all.size()).stream().anyMatch(e -> isOfferOn(e.value(), "a2"));
    });
  }

  private static boolean isOfferOn(OfferEvent event, String agentId) {
    return event.getPayload() instanceof Offer offer && offer.getAgentId().equals(agentId);
  }

  private static CommandResult resultOf(Tail<CommandResult> results, String commandId) {
    return results.awaitValue("the result of " + commandId, r -> r.getCommandId().equals(commandId));
  }

  private static void command(TestBus bus, String commandId, Object payload) {
    Command command = Command.newBuilder().setCommandId(commandId).setPrincipal("ops").setTimestamp(Instant.now())
        .setPayload(payload).build();
    bus.publish(Topics.COMMANDS, CommandTargets.targetOf(command), command);
  }

  private static void status(String taskId, TaskState state, TestBus bus) {
    bus.publish(Topics.TASK_STATUS, "a1", TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(FRAMEWORK)
        .setAgentId("a1").setState(state).setTimestamp(Instant.now()).build());
  }

  /** Agents that only report capacity, every two seconds, as real ones heartbeat. */
  private static final class Heartbeats implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    Heartbeats(TestBus bus, List<String> agentIds) {
      Instant startedAt = Instant.now();
      timer.scheduleAtFixedRate(() -> agentIds.forEach(id -> bus.publish(Topics.AGENTS, id, AgentReport.newBuilder()
          .setAgentId(id).setHostname(id).setTotal(Resources.newBuilder().setCpus(4).setMem(4096).build())
          .setUsed(Resources.newBuilder().build()).setHeartbeatTime(startedAt).setStartedAt(startedAt).build())),
          0, 2, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
