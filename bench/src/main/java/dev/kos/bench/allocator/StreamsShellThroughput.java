package dev.kos.bench.allocator;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
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
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Launches per second through the allocator's Kafka Streams shell with exactly-once on, on the embedded broker:
 * agents report (and keep reporting, every {@value #HEARTBEAT_SECONDS} s, as real agents do, so none is declared
 * lost), a framework launches one small task on every offer, and its "agent" reports it FINISHED as soon as the
 * LaunchTask reaches it on {@code kos.placements} (not before: a status for a task the allocator has not launched
 * yet is no news to it), so every launch frees resources for the next round. What counts is a {@code LaunchTask} the allocator committed on
 * {@code kos.placements}, read back by a consumer; the window is timed in two halves so a rate that falls off is
 * seen. Each run uses fresh topics and a fresh allocator on one broker; the results file holds each run's value
 * and the medians.
 *
 * <p>Usage: {@code StreamsShellThroughput [agents=100] [seconds=30] [partitions=1] [runs=3]}
 */
public final class StreamsShellThroughput {

  static final int HEARTBEAT_SECONDS = 5;

  private StreamsShellThroughput() {
  }

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Instant started = Instant.now();
    Machine machine = Machine.current();
    List<List<Figure>> perRun = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaSettings.defaults());
        SchemaRegistryServer registry = SchemaRegistryServer.start(broker.bootstrapServers(), "_kos_schemas",
            "127.0.0.1", 0)) {
      for (int run = 1; run <= runs; run++) {
        ControlBus bus = new ControlBus(new BusSettings(broker.bootstrapServers(), registry.url(),
            new TopicCatalog("kos-run" + run + ".", partitions, (short) 1)));
        List<Figure> figures = runOnce(bus, agents, seconds, run, notes);
        perRun.add(figures);
      }
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("agents", agents + " of 8 cpus / 32 GiB, reporting every " + HEARTBEAT_SECONDS + " s");
    settings.put("window", seconds + " s per run, after 5 s of warm-up");
    settings.put("partitions", partitions);
    settings.put("runs", runs);
    settings.put("allocator", "exactly_once_v2, default settings (commit interval 100 ms, rounds every 50 ms)");
    notes.add("A launch counts when its LaunchTask is committed on kos.placements (read_committed), not when an offer "
        + "arrives; the reader that counts it reports the task FINISHED then, as its agent would, so each launch is "
        + "one offer, one accept, one LaunchTask and one terminal status through the allocator.");
    List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("streams-shell", started, machine,
        Versions.current(), settings, Figure.medians(perRun), notes));
    written.forEach(path -> System.out.println("results: " + path));
  }

  private static List<Figure> runOnce(ControlBus bus, int agents, int seconds, int run, List<String> notes)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bus.settings().bootstrapServers()))) {
      new TopicBootstrap(admin, bus.catalog()).ensureTopics();
    }
    InstantTasks framework = new InstantTasks();
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    AtomicBoolean counting = new AtomicBoolean(true);
    AtomicLong launches = new AtomicLong();
    Thread counter = new Thread(() -> finishLaunches(bus, launches, counting), "bench-placements-reader");
    try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(),
            "bench-allocator-" + run, Files.createTempDirectory("bench-allocator"), Map.of(), Duration.ofSeconds(60));
        BusPublisher reports = new BusPublisher(bus, "bench-agents")) {
      Instant agentsStarted = Instant.now();
      heartbeats.scheduleAtFixedRate(() -> report(reports, agents, agentsStarted), 0, HEARTBEAT_SECONDS,
          TimeUnit.SECONDS);
      counter.start();
      try (BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("bench", "bench"), framework,
          Clock.systemUTC()).start()) {
        Thread.sleep(5_000);
        long launches0 = launches.get();
        long offers0 = framework.offers.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 500L);
        long launchesHalf = launches.get();
        long half = System.nanoTime();
        Thread.sleep(seconds * 500L);
        long end = System.nanoTime();
        long firstHalf = launchesHalf - launches0;
        long secondHalf = launches.get() - launchesHalf;
        long offers = framework.offers.get() - offers0;
        if (firstHalf == 0 || secondHalf == 0) {
          throw new IllegalStateException("run " + run + ": no launch reached kos.placements in "
              + (firstHalf == 0 ? "the first" : "the second") + " half of the window: the benchmark measured nothing");
        }
        double firstRate = firstHalf / ((half - start) / 1e9);
        double secondRate = secondHalf / ((end - half) / 1e9);
        if (secondRate < firstRate / 2) {
          notes.add(String.format("run %d: the launch rate fell from %.0f/s in the first half to %.0f/s in the "
              + "second", run, firstRate, secondRate));
        }
        double all = (firstHalf + secondHalf) / ((end - start) / 1e9);
        System.out.printf("run %d: %d agents: %.0f launches/s (halves %.0f / %.0f), %.0f offers/s received%n", run,
            agents, all, firstRate, secondRate, offers / ((end - start) / 1e9));
        return List.of(Figure.of("launches/s committed on kos.placements", all, "launches/s"),
            Figure.of("launches/s, first half of the window", firstRate, "launches/s"),
            Figure.of("launches/s, second half of the window", secondRate, "launches/s"),
            Figure.of("offers/s received by the framework", offers / ((end - start) / 1e9), "offers/s"));
      }
    } finally {
      heartbeats.shutdownNow();
      counting.set(false);
      counter.join(10_000);
      framework.close();
    }
  }

  /** Every agent's heartbeat; the same start time each time, as one agent process that keeps running. */
  private static void report(BusPublisher reports, int agents, Instant startedAt) {
    Instant now = Instant.now();
    for (int i = 0; i < agents; i++) {
      String id = "agent-" + i;
      reports.publishAsync(Topics.AGENTS, id, AgentReport.newBuilder().setAgentId(id).setHostname(id)
          .setTotal(Resources.newBuilder().setCpus(8).setMem(32768).build()).setUsed(Resources.newBuilder().build())
          .setHeartbeatTime(now).setStartedAt(startedAt).build(), error -> System.err.println("report lost: " + error));
    }
  }

  /**
   * Plays the agents' part: counts each LaunchTask committed on kos.placements (from the start of the topic) and
   * reports its task FINISHED, as the agent it was placed on would.
   */
  private static void finishLaunches(ControlBus bus, AtomicLong launches, AtomicBoolean counting) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null,
        "bench-placements-reader"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        BusPublisher statuses = new BusPublisher(bus, "bench-statuses")) {
      String topic = bus.topic(Topics.PLACEMENTS);
      consumer.assign(consumer.partitionsFor(topic).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList());
      consumer.seekToBeginning(consumer.assignment());
      while (counting.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          PlacementEvent event = bus.serde(Topics.PLACEMENTS).deserialize(topic, record.value());
          if (event.getPayload() instanceof LaunchTask launch) {
            launches.incrementAndGet();
            statuses.publishAsync(Topics.TASK_STATUS, launch.getAgentId(), TaskStatus.newBuilder()
                .setTaskId(launch.getTask().getTaskId()).setFrameworkId(launch.getFrameworkId())
                .setAgentId(launch.getAgentId()).setState(TaskState.FINISHED).setTimestamp(Instant.now()).build(),
                error -> System.err.println("status lost: " + error));
          }
        }
      }
    }
  }

  /** Launches one small task on every offer. */
  private static final class InstantTasks implements Scheduler, AutoCloseable {
    final AtomicLong offers = new AtomicLong();

    @Override
    public void registered(SchedulerDriver driver) {
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<OfferView> newOffers) {
      for (OfferView offer : newOffers) {
        String taskId = "task-" + offers.incrementAndGet();
        driver.launch(offer, List.of(TaskSpec.of(taskId, taskId, "bench", CommandSpec.shell("true"),
            dev.kos.model.Resources.of(0.1, 32))));
      }
    }

    @Override
    public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    }

    @Override
    public void close() {
    }
  }
}
