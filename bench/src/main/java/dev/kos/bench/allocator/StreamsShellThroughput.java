package dev.kos.bench.allocator;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * Offers and accepts per second through the allocator's Kafka Streams shell with exactly-once
 * on, on the embedded broker: agents report, a framework launches one small task on every offer
 * and its "agent" reports it FINISHED at once, so every launch frees resources for the next
 * round. Figures are printed with their parameters, never asserted.
 *
 * <p>Usage: {@code StreamsShellThroughput [agents=100] [seconds=30] [partitions=1]}
 */
public final class StreamsShellThroughput {

  private StreamsShellThroughput() {
  }

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaSettings.defaults());
        SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), "_kos_schemas", "127.0.0.1", 0)) {
      ControlBus bus = new ControlBus(new BusSettings(broker.bootstrapServers(), registry.url(),
          new TopicCatalog("kos.", partitions, (short) 1)));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        new TopicBootstrap(admin, bus.catalog()).ensureTopics();
      }
      InstantTasks framework = new InstantTasks(bus);
      try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(), "bench-allocator",
              Files.createTempDirectory("bench-allocator"), Map.of(), Duration.ofSeconds(60));
          BusPublisher reports = new BusPublisher(bus, "bench-agents")) {
        for (int i = 0; i < agents; i++) {
          String id = "agent-" + i;
          reports.publish(Topics.AGENTS, id, AgentReport.newBuilder().setAgentId(id).setHostname(id)
              .setTotal(Resources.newBuilder().setCpus(8).setMem(32768).build()).setUsed(Resources.newBuilder().build())
              .setHeartbeatTime(Instant.now()).setStartedAt(Instant.now()).build());
        }
        reports.flush();
        try (BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("bench", "bench"), framework,
            Clock.systemUTC()).start()) {
          Thread.sleep(5_000);
          long offers0 = framework.offers.get();
          long start = System.nanoTime();
          Thread.sleep(seconds * 1000L);
          double elapsed = (System.nanoTime() - start) / 1e9;
          long offers = framework.offers.get() - offers0;
          if (offers == 0) {
            throw new IllegalStateException("no offers reached the framework: the benchmark measured nothing");
          }
          System.out.printf("allocator shell (exactly_once_v2, commit interval 100 ms, round 50 ms), %d agents, "
              + "%d partition(s), %d s: %.0f offers/s received and accepted (one launch + one FINISHED each)%n",
              agents, partitions, seconds, offers / elapsed);
        }
      }
    }
  }

  /** Launches one small task per offer and reports it finished at once, as its agent would. */
  private static final class InstantTasks implements Scheduler {
    private final BusPublisher statuses;
    final AtomicLong offers = new AtomicLong();

    InstantTasks(ControlBus bus) {
      this.statuses = new BusPublisher(bus, "bench-statuses");
    }

    @Override
    public void registered(SchedulerDriver driver) {
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<OfferView> newOffers) {
      for (OfferView offer : newOffers) {
        String taskId = "task-" + offers.incrementAndGet();
        driver.launch(offer, List.of(TaskSpec.of(taskId, taskId, "bench", CommandSpec.shell("true"),
            dev.kos.model.Resources.of(0.1, 32))));
        statuses.publish(Topics.TASK_STATUS, offer.agentId(), TaskStatus.newBuilder().setTaskId(taskId)
            .setFrameworkId("bench").setAgentId(offer.agentId()).setState(TaskState.FINISHED)
            .setTimestamp(Instant.now()).build());
      }
    }

    @Override
    public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    }
  }
}
