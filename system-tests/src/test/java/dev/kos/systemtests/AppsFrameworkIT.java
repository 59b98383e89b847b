package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.Constraint;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.DeployApp;
import dev.kos.schema.Endpoint;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps framework on the real bus: commands on kos.commands become apps, the planner places their
 * instances through the allocator on three real agents, and answers arrive on kos.command-results.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AppsFrameworkIT {

  @TempDir
  Path dir;

  @Test
  void shouldDeployScaleAndRemoveAnAppOnThreeAgents(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1");
        BusAgent a2 = agent(bus, "a2");
        BusAgent a3 = agent(bus, "a3");
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start()) {
      CommandSender commands = new CommandSender(bus);

      AppSpec web = AppSpec.newBuilder().setId("/web").setCmd("sleep 60").setInstances(3).setCpus(0.1).setMem(32)
          .setPorts(List.of(new PortDefinition("http", 0)))
          .setConstraints(List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null))).build();
      assertThat(commands.send("/web", "deploy", DeployApp.newBuilder().setApp(web).build()).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("3 instances of /web running", () -> running(framework).size() == 3);
      assertThat(running(framework)).extracting(i -> i.agent().agentId()).containsExactlyInAnyOrder("a1", "a2", "a3");
      TestBus.await("/web reached at 3 endpoints", () -> endpoints(bus, "/web").map(e -> e.getEndpoints().size())
          .orElse(0) == 3);
      AppEndpoints three = endpoints(bus, "/web").orElseThrow();
      assertThat(three.getPortNames()).containsExactly("http");
      assertThat(three.getEndpoints()).allSatisfy(endpoint -> {
        assertThat(endpoint.getHost()).isEqualTo(endpoint.getAgentId());
        assertThat(endpoint.getPorts()).singleElement().satisfies(port -> assertThat(port).isBetween(ForkPorts.port(0), ForkPorts.port(10)));
      });
      assertThat(three.getEndpoints()).extracting(Endpoint::getTaskId)
          .containsExactlyInAnyOrderElementsOf(running(framework).stream().map(Instance::taskId).toList());

      assertThat(commands.send("/web", "scale-5", new ScaleApp("/web", 5)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web unplaced because of UNIQUE",
          () -> framework.unplaced("/web").filter(why -> why.contains("UNIQUE")).isPresent());
      assertThat(framework.unplaced("/web").orElseThrow()).startsWith("2 instances of /web unplaced");
      assertThat(framework.instances()).hasSize(3);
      assertThat(running(framework)).hasSize(3);

      assertThat(commands.send("/web", "scale-2", new ScaleApp("/web", 2)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web down to 2 instances", () -> framework.instances().size() == 2);
      assertThat(running(framework)).hasSize(2);
      assertThat(framework.unplaced("/web")).isEmpty();
      assertThat(killed(bus)).hasSize(1);
      String killedTask = killed(bus).get(0);
      TestBus.await("/web reached at 2 endpoints", () -> endpoints(bus, "/web").map(e -> e.getEndpoints().size())
          .orElse(0) == 2);
      assertThat(endpoints(bus, "/web").orElseThrow().getEndpoints()).extracting(Endpoint::getTaskId)
          .doesNotContain(killedTask);
      // It left the endpoints before its kill went out: the record without it is older than the kill's placement.
      long left = bus.readCommitted(Topics.ENDPOINTS, 1).stream().filter(r -> r.key().equals("/web")
              && r.value() != null && r.value().getEndpoints().size() == 2)
          .mapToLong(r -> r.value().getUpdatedAt().toEpochMilli()).min().orElseThrow();
      long killSent = killPlacedAt(bus, killedTask);
      assertThat(left).as("the instance left the endpoints before its kill").isLessThanOrEqualTo(killSent);

      CommandResult nope = commands.send("/nope", "scale-nope", new ScaleApp("/nope", 2));
      assertThat(nope.getStatus()).isEqualTo(CommandStatus.REJECTED);
      assertThat(nope.getReason()).contains("/nope");

      CommandResult otherRole = commands.send("/batch", "deploy-batch", DeployApp.newBuilder()
          .setApp(AppSpec.newBuilder().setId("/batch").setCmd("sleep 60").setRole("batch").build()).build());
      assertThat(otherRole.getStatus()).isEqualTo(CommandStatus.REJECTED);
      assertThat(otherRole.getReason()).contains("role batch");

      bus.publishRaw(Topics.COMMANDS, "/web", "not avro".getBytes(StandardCharsets.UTF_8));
      // Both readers of kos.commands, the apps framework and the allocator (drain commands), set it aside.
      TestBus.await("a dead letter from each reader of kos.commands", () -> deadLetters(bus).size() == 2);
      assertThat(deadLetters(bus)).extracting(DeadLetter::getConsumer)
          .containsExactlyInAnyOrder(AppsFramework.GROUP, "allocator");
      assertThat(deadLetters(bus)).allSatisfy(letter -> assertThat(letter.getReason()).startsWith("undecodable"));

      assertThat(commands.send("/web", "remove", new RemoveApp("/web")).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web gone", () -> framework.instances().isEmpty());
      assertThat(killed(bus)).hasSize(3);
      assertThat(framework.apps()).isEmpty();
      TestBus.await("/web's endpoints deleted", () -> endpoints(bus, "/web").isEmpty());
    }
  }

  private BusAgent agent(TestBus bus, String id) {
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:1;mem:512;ports:" + ForkPorts.range(0, 11)), Map.of(), Map.of(),
        dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
        Clock.systemUTC());
  }

  private static List<Instance> running(AppsFramework framework) {
    return framework.instances().stream().filter(i -> i.state() == InstanceState.RUNNING).toList();
  }

  /** The tasks reported KILLED; the framework forgets a killed instance only after that report. */
  private static List<String> killed(TestBus bus) {
    return bus.readCommitted(Topics.TASK_STATUS, 1).stream().map(TestBus.Keyed::value)
        .filter(status -> status.getState() == TaskState.KILLED).map(TaskStatus::getTaskId).distinct().toList();
  }

  /** When the allocator placed the kill of {@code taskId} on kos.placements (the record's timestamp). */
  private static long killPlacedAt(TestBus bus, String taskId) {
    Long at = KillPlacements.placedAt(bus).get(taskId);
    if (at == null) {
      throw new AssertionError("no kill of " + taskId + " on kos.placements");
    }
    return at;
  }

  /** The app's latest endpoints on kos.endpoints; empty before the first or after a tombstone. */
  private static Optional<AppEndpoints> endpoints(TestBus bus, String appId) {
    List<TestBus.Keyed<AppEndpoints>> records = bus.readCommitted(Topics.ENDPOINTS, 0).stream()
        .filter(r -> r.key().equals(appId)).toList();
    return records.isEmpty() ? Optional.empty() : Optional.ofNullable(records.get(records.size() - 1).value());
  }

  private static List<DeadLetter> deadLetters(TestBus bus) {
    return bus.readCommitted(Topics.DEAD_LETTERS, 1).stream().map(TestBus.Keyed::value).toList();
  }
}
