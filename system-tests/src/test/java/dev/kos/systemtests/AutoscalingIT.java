package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.model.KillRequest;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.DeployApp;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScalingPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler end to end: the service reports its requests per second on kos.metrics, the
 * allocator's autoscaler decides, and in automatic mode the apps framework scales the app on real
 * agents (2 → 4 under load, back to 2 once the load is gone and the cooldown passed); the same load
 * on an advisory app yields a decision and no change.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AutoscalingIT {

  @TempDir
  Path dir;

  @Test
  void shouldScaleAnAutomaticAppWithItsLoadAndOnlyAdviseOnAnAdvisoryOne(@BootstrapServers String bootstrap)
      throws Exception {
    AtomicReference<Double> load = new AtomicReference<>(400.0);
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1");
        BusAgent a2 = agent(bus, "a2");
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start()) {
      try {
        scaleWithTheLoad(bus, framework, load, reporter);
      } finally {
        reporter.shutdownNow();
        for (var instance : framework.instances()) {
          BusAgent agent = instance.agent().agentId().equals("a1") ? a1 : a2;
          agent.executor().kill(new KillRequest(instance.taskId(), AppsFramework.FRAMEWORK_ID, Duration.ZERO));
        }
      }
    }
  }

  private void scaleWithTheLoad(TestBus bus, AppsFramework framework, AtomicReference<Double> load,
      ScheduledExecutorService reporter) {
    deploy(bus, "/web", ScaleMode.AUTOMATIC);
    deploy(bus, "/api", ScaleMode.ADVISORY);
    TestBus.await("2 + 2 instances running", () -> running(framework, "/web") == 2
        && running(framework, "/api") == 2);

    reporter.scheduleAtFixedRate(() -> {
      report(bus, "/web", load.get());
      report(bus, "/api", load.get());
    }, 0, 500, TimeUnit.MILLISECONDS);

    TestBus.await("/web scaled to 4 by the autoscaler", () -> running(framework, "/web") == 4);
    assertThat(decisions(bus, "/api")).as("the advisory app's decisions").isNotEmpty()
        .allSatisfy(d -> assertThat(d.getMode()).isEqualTo(ScaleMode.ADVISORY));
    assertThat(decisions(bus, "/api")).anySatisfy(d -> assertThat(d.getTo()).isGreaterThan(d.getFrom()));
    assertThat(running(framework, "/api")).as("the advisory app is left alone").isEqualTo(2);
    assertThat(scaleCommands(bus)).allSatisfy(c -> assertThat(c.getPrincipal()).isEqualTo("autoscaler"))
        .extracting(c -> ((ScaleApp) c.getPayload()).getAppId()).containsOnly("/web");

    load.set(20.0);
    TestBus.await("/web back to 2 once the load is gone", () -> running(framework, "/web") == 2
        && framework.instances().stream().filter(i -> i.appId().equals("/web")).count() == 2);
    assertThat(decisions(bus, "/web")).extracting(ScaleDecision::getFrom, ScaleDecision::getTo)
        .first().satisfies(first -> assertThat(first.toList()).containsExactly(2, 4));
  }

  private BusAgent agent(TestBus bus, String id) {
    String ports = ForkPorts.range("a1".equals(id) ? 0 : 100, 100);
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:2;mem:1024;ports:" + ports), Map.of(), Map.of(), dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(1),
        Duration.ofSeconds(10), 1000), Clock.systemUTC());
  }

  private static void deploy(TestBus bus, String appId, ScaleMode mode) {
    AppSpec spec = AppSpec.newBuilder().setId(appId).setCmd("exec sleep 120").setInstances(2).setCpus(0.1)
        .setMem(32).setScaling(ScalingPolicy.newBuilder().setMetric("requestsPerSecond").setTarget(100)
            .setMinInstances(2).setMaxInstances(4).setCooldownSeconds(3).setScaleUpStabilizationSeconds(0)
            .setScaleDownStabilizationSeconds(3).setMode(mode).build())
        .build();
    bus.publish(Topics.COMMANDS, appId, Command.newBuilder().setCommandId("deploy-" + appId).setPrincipal("alice")
        .setTimestamp(Instant.now()).setPayload(DeployApp.newBuilder().setApp(spec).build()).build());
  }

  /** What the service itself says: requests per second over all its instances. */
  private static void report(TestBus bus, String appId, double requestsPerSecond) {
    bus.publish(Topics.METRICS, "service:" + appId, MetricSample.newBuilder().setSourceId("service:" + appId)
        .setKind("service").setAppId(appId).setValues(Map.of("requestsPerSecond", requestsPerSecond))
        .setTimestamp(Instant.now()).build());
  }

  private static long running(AppsFramework framework, String appId) {
    return framework.instances().stream()
        .filter(i -> i.appId().equals(appId) && i.state() == InstanceState.RUNNING).count();
  }

  private static List<ScaleDecision> decisions(TestBus bus, String appId) {
    return bus.readCommitted(Topics.SCALE_DECISIONS, 1).stream().filter(d -> appId.equals(d.key()))
        .map(TestBus.Keyed::value).toList();
  }

  private static List<Command> scaleCommands(TestBus bus) {
    return bus.readCommitted(Topics.COMMANDS, 1).stream().map(TestBus.Keyed::value)
        .filter(c -> c.getPayload() instanceof ScaleApp).toList();
  }
}
