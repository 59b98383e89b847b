package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.model.KillRequest;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.Constraint;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.KillTask;
import dev.kos.schema.LogLine;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RestartApp;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.UpgradeStrategy;
import dev.kos.schema.Volume;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps framework's promises over time, on the real bus with the allocator and real local agents:
 * it resumes after a restart, relaunches what a lost agent ran, keeps the healthy minimum through a
 * rolling upgrade and a drain (checked from {@code kos.status} alone), and brings a stateful instance
 * back to its agent and its data.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AppsLifecycleIT {

  @TempDir
  Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, BusAgent> agents = new LinkedHashMap<>();
  private TestBus bus;
  private AppsFramework framework;
  private CommandSender commands;

  /** Kills the tasks too: agents leave them running on close, and a leftover server would hold its port. */
  @AfterEach
  void stopAll() throws Exception {
    if (framework != null) {
      for (Instance instance : framework.instances()) {
        BusAgent agent = agents.get(instance.agent().agentId());
        if (agent != null && (instance.state().isLive() || instance.state() == InstanceState.KILLING)) {
          agent.executor().kill(new KillRequest(instance.taskId(), AppsFramework.FRAMEWORK_ID, Duration.ZERO));
        }
      }
    }
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void shouldResumeAfterARestartAndRelaunchWhatEndedMeanwhile(@BootstrapServers String bootstrap) throws Exception {
    start(bootstrap, AllocatorSettings.defaults(), "a1", "a2");
    deploy(app("/web", 2).build());
    awaitRunning("/web", 2);
    TestBus.await("the state of /web saved with 2 running instances", () -> savedRunning("/web") == 2);

    framework.close();
    running.remove(framework);
    Instance victim = instances("/web").get(0);
    bus.publish(Topics.PLACEMENTS, victim.agent().agentId(), new PlacementEvent(KillTask.newBuilder()
        .setAgentId(victim.agent().agentId()).setFrameworkId(AppsFramework.FRAMEWORK_ID).setTaskId(victim.taskId())
        .build()));
    TestBus.await("the task killed while the framework was away", () -> bus.readCommitted(Topics.TASK_STATUS, 1)
        .stream().anyMatch(s -> s.value().getTaskId().equals(victim.taskId())
            && s.value().getState() == TaskState.KILLED));

    framework = startFramework();
    assertThat(framework.apps()).containsKey("/web");
    TestBus.await("the ended instance relaunched as its next attempt", () -> running("/web").stream()
        .anyMatch(i -> i.instanceId().equals(victim.instanceId()) && i.attempt() == victim.attempt() + 1));
    awaitRunning("/web", 2);
    assertThat(kinds("/web")).contains("DEPLOYMENT_STARTED", "INSTANCE_RUNNING", "DEPLOYMENT_FINISHED",
        "INSTANCE_KILLED");
  }

  @Test
  void shouldRelaunchTheInstancesOfALostAgentElsewhere(@BootstrapServers String bootstrap) throws Exception {
    start(bootstrap, new AllocatorSettings(AllocatorSettings.DEFAULT_ROUND_INTERVAL,
        Duration.ofSeconds(4), AllocatorSettings.DEFAULT_OFFER_TIMEOUT), "a1", "a2", "a3");
    deploy(app("/web", 2).setCmd("sleep 40")
        .setConstraints(List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null))).build());
    awaitRunning("/web", 2);
    String lost = running("/web").get(0).agent().agentId();

    BusAgent stopped = agents.get(lost);
    stopped.close();
    running.remove(stopped);
    agents.remove(lost);

    TestBus.await("/web running twice again, away from the lost agent " + lost, () -> running("/web").size() == 2
        && running("/web").stream().noneMatch(i -> i.agent().agentId().equals(lost)));
    assertThat(kinds("/web")).contains("INSTANCE_LOST");
  }

  @Test
  void shouldKeepTheHealthyMinimumThroughARollingUpgrade(@BootstrapServers String bootstrap) throws Exception {
    start(bootstrap, AllocatorSettings.defaults(), "a1", "a2", "a3");
    deploy(app("/web", 3).setCmd("exec python3 -m http.server --bind 127.0.0.1 $PORT_HTTP")
        .setPorts(List.of(new PortDefinition("http", 0)))
        .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/")
            .setGracePeriodSeconds(10).setIntervalSeconds(1).setTimeoutSeconds(1).setMaxConsecutiveFailures(3)
            .build()))
        .setUpgradeStrategy(new UpgradeStrategy(0.5, 0.0)).build());
    awaitDeploymentFinished("deploy-/web");

    send("/web", "restart-web", new RestartApp("/web"));
    awaitDeploymentFinished("restart-web");

    List<StatusEvent> upgrade = events("/web").stream()
        .filter(e -> "restart-web".equals(e.getDeploymentId())).toList();
    assertThat(upgrade).isNotEmpty();
    assertThat(upgrade).allSatisfy(e -> assertThat(e.getCounts().get("healthy"))
        .as("healthy instances at %s (%s)", e.getKind(), e.getMessage()).isGreaterThanOrEqualTo(2));
    assertThat(upgrade).allSatisfy(e -> assertThat(e.getCounts().get("live")).isLessThanOrEqualTo(3));
    assertThat(running("/web")).hasSize(3).allMatch(i -> i.version().equals("restart-web") && i.healthy());
  }

  @Test
  void shouldBringAStatefulInstanceBackToItsAgentAndItsData(@BootstrapServers String bootstrap) throws Exception {
    start(bootstrap, AllocatorSettings.defaults(), "a1", "a2");
    deploy(app("/db", 1).setCmd("cat data/note 2>/dev/null; echo kept-by-the-volume > data/note; exec sleep 60")
        .setVolumes(List.of(new Volume("data", "*", 16.0, "data"))).setUpgradeStrategy(new UpgradeStrategy(0.0, 0.0))
        .build());
    awaitRunning("/db", 1);
    Instance first = running("/db").get(0);

    send("/db", "restart-db", new RestartApp("/db"));
    TestBus.await("/db running its new version", () -> running("/db").stream()
        .anyMatch(i -> i.version().equals("restart-db")));

    Instance second = running("/db").get(0);
    assertThat(second.agent().agentId()).isEqualTo(first.agent().agentId());
    TestBus.await("the relaunched task read the note its predecessor wrote", () -> bus
        .readCommitted(Topics.LOGS, 1).stream().map(TestBus.Keyed::value)
        .anyMatch(line -> line.getTaskId().equals(second.taskId()) && line.getLine().equals("kept-by-the-volume")));
    assertThat(bus.readCommitted(Topics.LOGS, 1).stream().map(TestBus.Keyed::value)
        .filter(line -> line.getTaskId().equals(first.taskId())).map(LogLine::getLine))
        .doesNotContain("kept-by-the-volume");
  }

  @Test
  void shouldDrainAnAgentKeepingTwoOfThreeHealthy(@BootstrapServers String bootstrap) throws Exception {
    start(bootstrap, AllocatorSettings.defaults(), "a1", "a2", "a3");
    deploy(app("/web", 3).setUpgradeStrategy(new UpgradeStrategy(0.67, 0.34)).build());
    awaitDeploymentFinished("deploy-/web");
    String drained = running("/web").get(0).agent().agentId();

    bus.publish(Topics.COMMANDS, drained, Command.newBuilder().setCommandId("drain").setPrincipal("ops")
        .setTimestamp(Instant.now()).setPayload(new DrainAgent(drained)).build());

    TestBus.await("no /web instance left on " + drained, () -> running("/web").size() == 3
        && running("/web").stream().noneMatch(i -> i.agent().agentId().equals(drained))
        && instances("/web").stream().noneMatch(i -> i.agent().agentId().equals(drained) && i.state().isLive()));
    TestBus.await("the allocator reports " + drained + " drained", () -> bus.readCommitted(Topics.STATUS, 1).stream()
        .anyMatch(e -> drained.equals(e.key()) && e.value().getKind().equals("AGENT_DRAINED")));
    List<StatusEvent> events = events("/web");
    assertThat(events).filteredOn(e -> drained.equals(e.getAgentId())).extracting(StatusEvent::getKind)
        .contains("INSTANCE_KILLED");
    assertThat(events).filteredOn(e -> !"deploy-/web".equals(e.getDeploymentId()) || e.getKind().equals(
        "DEPLOYMENT_FINISHED")).allSatisfy(e -> assertThat(e.getCounts().get("healthy"))
        .as("healthy instances at %s (%s)", e.getKind(), e.getMessage()).isGreaterThanOrEqualTo(2));
  }

  private void start(String bootstrap, AllocatorSettings settings, String... agentIds)
      throws InterruptedException {
    bus = TestBus.start(bootstrap, 2);
    commands = new CommandSender(bus);
    running.add(bus);
    running.add(AllocatorService.start(bus.bus(), settings, "allocator-" + UUID.randomUUID(),
        dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60)));
    for (String id : agentIds) {
      // Agents on one host must not offer the same ports.
      String ports = ForkPorts.range(100 * agents.size(), 100);
      BusAgent agent = BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact(
          "cpus:1;mem:512;disk:1024;ports:" + ports), Map.of(), Map.of(), dir.resolve(id),
          bus.bus().settings(), Duration.ofSeconds(1), Duration.ofSeconds(10), 1000), Clock.systemUTC());
      agents.put(id, agent);
      running.add(agent);
    }
    framework = startFramework();
  }

  private AppsFramework startFramework() {
    AppsFramework started = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
        Clock.systemUTC()).start();
    running.add(started);
    return started;
  }

  private static AppSpec.Builder app(String id, int instances) {
    return AppSpec.newBuilder().setId(id).setCmd("exec sleep 60").setInstances(instances).setCpus(0.1).setMem(32);
  }

  private void deploy(AppSpec spec) {
    assertThat(send(spec.getId(), "deploy-" + spec.getId(), DeployApp.newBuilder().setApp(spec).build()).getStatus())
        .isEqualTo(CommandStatus.ACCEPTED);
  }

  private CommandResult send(String key, String commandId, Object payload) {
    return commands.send(key, commandId, payload);
  }

  private void awaitRunning(String appId, int count) {
    TestBus.await(count + " instances of " + appId + " running", () -> running(appId).size() == count);
  }

  private void awaitDeploymentFinished(String deploymentId) {
    TestBus.await("deployment " + deploymentId + " finished", () -> events("/web").stream().anyMatch(e ->
        e.getKind().equals("DEPLOYMENT_FINISHED") && deploymentId.equals(e.getDeploymentId())));
  }

  private List<Instance> instances(String appId) {
    return framework.instances().stream().filter(i -> i.appId().equals(appId)).toList();
  }

  private List<Instance> running(String appId) {
    return instances(appId).stream().filter(i -> i.state() == InstanceState.RUNNING).toList();
  }

  private long savedRunning(String appId) {
    AppState state = CompactedTopics.readToEnd(bus.bus(), Topics.APPS).get(appId);
    return state == null ? 0 : state.getInstances().stream().filter(i -> i.getState().equals("RUNNING")).count();
  }

  private List<StatusEvent> events(String appId) {
    return bus.readCommitted(Topics.STATUS, 1).stream().filter(e -> appId.equals(e.key()))
        .map(TestBus.Keyed::value).toList();
  }

  private List<String> kinds(String appId) {
    return events(appId).stream().map(StatusEvent::getKind).toList();
  }
}
