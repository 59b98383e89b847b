package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.bus.metrics.MetricsSettings;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.PrometheusPage;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocator on the real broker with a scripted framework that accepts and declines offers. */
@ExtendWith(KafkaBrokerExtension.class)
class AllocatorIT {

  private static final List<String> AGENTS = List.of("a1", "a2", "a3");
  private static final double AGENT_CPUS = 4;
  private static final int TASKS = 10;

  @TempDir
  Path stateDir;

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 4})
  void shouldLaunchEveryTaskOnceOnOfferedResourcesWithoutOverAllocatingAnAgent(int partitions,
      @BootstrapServers String bootstrap) throws Exception {
    ScriptedFramework framework = new ScriptedFramework("fw", TASKS);
    String allocatorGroup = "allocator-" + UUID.randomUUID();
    try (TestBus bus = TestBus.start(bootstrap, partitions);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            allocatorGroup, stateDir, Map.of(), Duration.ofSeconds(60));
        FakeAgents agents = new FakeAgents(bus, AGENTS, AGENT_CPUS, 4096);
        BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("fw", "web"), framework,
            Clock.systemUTC()).start()) {

      List<LaunchTask> launches = bus.readCommitted(Topics.PLACEMENTS, TASKS).stream()
          .map(k -> (LaunchTask) ((PlacementEvent) k.value()).getPayload()).toList();

      assertThat(launches).extracting(l -> l.getTask().getTaskId()).doesNotHaveDuplicates().hasSize(TASKS);
      Map<String, Double> cpusPerAgent = launches.stream().collect(Collectors.groupingBy(LaunchTask::getAgentId,
          Collectors.summingDouble(l -> l.getTask().getResources().getCpus())));
      assertThat(cpusPerAgent.values()).allMatch(cpus -> cpus <= AGENT_CPUS);
      assertThat(launches).allMatch(l -> framework.offers.stream().anyMatch(o -> o.offerId().equals(l.getOfferId())
          && o.agentId().equals(l.getAgentId())), "every launch is on an offer the framework got for that agent");
      assertThat(framework.declines).as("the framework declined some offers").isPositive();

      assertMetricsReflect(framework, allocatorGroup);
    }
  }

  /**
   * The process's /metrics over real HTTP, as {@code kos allocator} serves it: rounds ran, the offers, accepts and
   * launches counted on both sides, the role's DRF share and the cluster's utilization above 0 once tasks hold cpus,
   * the allocator's consumer lag. The parameterized runs share the process's counters, hence at-least comparisons.
   */
  private static void assertMetricsReflect(ScriptedFramework framework, String allocatorGroup) {
    try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", 0), ProcessMetrics.registry())
        .orElseThrow()) {
      TestBus.await("the allocator's figures show the web role's tasks", () -> {
        PrometheusPage page = PrometheusPage.scrape(server.url());
        return page.has("kos_role_drf_share", "role", "web") && page.value("kos_role_drf_share", "role", "web") > 0
            && page.value("kos_cluster_utilization", "resource", "cpus") > 0;
      });
      // Counted before the scrape: the framework goes on getting (and declining) offers meanwhile.
      int received = framework.offers.size();
      int declined = framework.declines;
      PrometheusPage page = PrometheusPage.scrape(server.url());
      assertThat(page.value("kos_allocator_rounds_total", "outcome", "ok")).isPositive();
      assertThat(page.value("kos_allocator_round_seconds_count")).isPositive();
      assertThat(page.value("kos_offers_total", "framework", "fw")).isGreaterThanOrEqualTo(received);
      assertThat(page.value("kos_framework_offers_total", "framework", "fw")).isGreaterThanOrEqualTo(received);
      assertThat(page.value("kos_accepts_total", "framework", "fw")).isPositive();
      assertThat(page.value("kos_launches_total", "framework", "fw")).isGreaterThanOrEqualTo(TASKS);
      assertThat(page.value("kos_framework_launches_total", "framework", "fw")).isGreaterThanOrEqualTo(TASKS);
      assertThat(page.value("kos_framework_declines_total", "framework", "fw")).isGreaterThanOrEqualTo(declined);
      assertThat(page.has("kos_consumer_lag", "group", allocatorGroup, "client", "streams")).isTrue();
    }
  }

  /**
   * With 4 partitions every shard sees only its own agents; these rules hold over all of them: a role's quota
   * limit, and a low-priority role held back while the whole cluster is over its utilization threshold.
   */
  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 4})
  void shouldKeepALimitAndAThresholdOverTheWholeClusterWhateverTheShards(int partitions,
      @BootstrapServers String bootstrap) throws Exception {
    List<String> agents = IntStream.rangeClosed(1, 8).mapToObj(i -> "a" + i).toList();
    ScriptedFramework capped = new ScriptedFramework("capped-fw", 20);
    ScriptedFramework web = new ScriptedFramework("web-fw", 11);
    ScriptedFramework batch = new ScriptedFramework("batch-fw", 5);
    try (TestBus bus = TestBus.start(bootstrap, partitions);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), stateDir, Map.of(), Duration.ofSeconds(60));
        FakeAgents fleet = new FakeAgents(bus, agents, AGENT_CPUS, 4096)) {
      bus.publish(Topics.ROLES, "capped", RoleInfo.newBuilder().setRole("capped")
          .setLimit(Resources.newBuilder().setCpus(6).build()).build());
      bus.publish(Topics.ROLES, "jobs", RoleInfo.newBuilder().setRole("jobs").setPriority(-1)
          .setMaxClusterUtilization(0.5).build());
      try (BusSchedulerDriver cappedDriver = new BusSchedulerDriver(bus.bus(),
              FrameworkSettings.of("capped-fw", "capped"), capped, Clock.systemUTC()).start();
          BusSchedulerDriver webDriver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("web-fw", "web"),
              web, Clock.systemUTC()).start()) {
        bus.readCommitted(Topics.PLACEMENTS, 6 + 11);
        Thread.sleep(5_000);
        Map<String, Long> launchesPerFramework = bus.readCommitted(Topics.PLACEMENTS, 6 + 11).stream()
            .map(k -> (LaunchTask) ((PlacementEvent) k.value()).getPayload())
            .collect(Collectors.groupingBy(LaunchTask::getFrameworkId, Collectors.counting()));
        assertThat(launchesPerFramework).as("1-cpu tasks: the 6-cpu limit over every shard, and all of web's")
            .containsEntry("capped-fw", 6L).containsEntry("web-fw", 11L);

        try (BusSchedulerDriver batchDriver = new BusSchedulerDriver(bus.bus(),
            FrameworkSettings.of("batch-fw", "jobs"), batch, Clock.systemUTC()).start()) {
          Thread.sleep(5_000);
          assertThat(batch.offers).as("17 of 32 cpus are held: 53%% ≥ the jobs role's 50%% threshold").isEmpty();
        }
      }
    }
  }
}
