package dev.kos.bench.placement;

import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.sim.BusFleet;
import dev.kos.agent.sim.SimSpec;
import dev.kos.agent.sim.TaskDurations;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bench.agent.BenchBus;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What both end-to-end benchmarks stand on: the embedded broker with a registry and fresh kos topics,
 * the allocator (Kafka Streams, exactly-once) in this JVM, and a simulated fleet whose tasks run until
 * the benchmark ends. The agent timeout is longer than the default (60 s instead of 20 s) because a
 * loaded 2-core machine can delay heartbeats by seconds, and a lost agent would end the run's tasks.
 */
final class SimStack implements AutoCloseable {
  static final String ALLOCATOR_ID = "kos-bench-allocator";
  static final String FLEET_PREFIX = "sim";
  static final Duration AGENT_TIMEOUT = Duration.ofSeconds(60);
  /** Long enough that no task ends during a run. */
  static final TaskDurations UNTIL_THE_END = new TaskDurations(TaskDurations.Distribution.FIXED, Duration.ofDays(1));

  final BenchBus bench;
  final Admin admin;
  final AllocatorService allocator;
  final BusFleet fleet;
  final String allocatorId;

  private SimStack(BenchBus bench, Admin admin, AllocatorService allocator, BusFleet fleet, String allocatorId) {
    this.allocatorId = allocatorId;
    this.bench = bench;
    this.admin = admin;
    this.allocator = allocator;
    this.fleet = fleet;
  }

  /** Starts everything and returns once every agent's registration is on {@code kos.agents}. */
  static SimStack start(String bootstrap, int partitions, int agents, ResourceSet agentResources,
      Duration heartbeat) throws Exception {
    BenchBus bench = BenchBus.start(bootstrap, partitions);
    bench.registerSchemas();
    Admin admin = null;
    AllocatorService allocator = null;
    try {
      admin = Admin.create(Map.of("bootstrap.servers", bench.settings().bootstrapServers()));
      String allocatorId = ALLOCATOR_ID + "-" + System.currentTimeMillis();
      allocator = AllocatorService.start(bench.bus(), new AllocatorSettings(AllocatorSettings.DEFAULT_ROUND_INTERVAL,
              AGENT_TIMEOUT, AllocatorSettings.DEFAULT_OFFER_TIMEOUT), allocatorId,
          Files.createTempDirectory("kos-bench-allocator"), Map.of(), Duration.ofMinutes(2));
      BusFleet fleet = BusFleet.start(new SimSpec(agents, FLEET_PREFIX, agentResources, Map.of("zone", "sim"),
          UNTIL_THE_END, 0, heartbeat, 1), bench.settings(), Clock.systemUTC());
      SimStack stack = new SimStack(bench, admin, allocator, fleet, allocatorId);
      stack.awaitRecords(Topics.AGENTS, agents, Duration.ofMinutes(2));
      return stack;
    } catch (Exception | Error e) {
      if (allocator != null) {
        allocator.close();
      }
      if (admin != null) {
        admin.close();
      }
      bench.close();
      throw e;
    }
  }

  ControlBus bus() {
    return bench.bus();
  }

  /** Waits until {@code topic} holds at least {@code records} records. */
  void awaitRecords(TopicDef<?> topic, long records, Duration timeout)
      throws ExecutionException, InterruptedException {
    String name = bus().topic(topic);
    Map<TopicPartition, OffsetSpec> partitions = IntStream.range(0, bus().catalog().partitionsOf(topic))
        .mapToObj(partition -> new TopicPartition(name, partition))
        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (admin.listOffsets(partitions).all().get().values().stream().mapToLong(info -> info.offset()).sum()
        < records) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not reach " + records + " records within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /**
   * How many records of {@code topic} the allocator has not committed as read: its backlog. An answer to an offer
   * waits behind this backlog while the allocator's wall-clock rounds go on expiring offers.
   */
  long allocatorLag(TopicDef<?> topic) throws ExecutionException, InterruptedException {
    String name = bus().topic(topic);
    Map<TopicPartition, OffsetSpec> partitions = IntStream.range(0, bus().catalog().partitionsOf(topic))
        .mapToObj(partition -> new TopicPartition(name, partition))
        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> read =
        admin.listConsumerGroupOffsets(allocatorId).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (var end : admin.listOffsets(partitions).all().get().entrySet()) {
      var committed = read.get(end.getKey());
      lag += end.getValue().offset() - (committed == null ? 0 : committed.offset());
    }
    return lag;
  }

  /** The thread groups CPU is split by, the allocator's and the fleet's first. */
  static List<CpuMeter.Group> cpuGroups(List<CpuMeter.Group> others) {
    List<CpuMeter.Group> groups = new ArrayList<>();
    groups.add(new CpuMeter.Group("allocator (Kafka Streams)", name -> name.contains(ALLOCATOR_ID)));
    groups.add(new CpuMeter.Group("simulated fleet", name -> name.contains("kos-agent-sim")));
    groups.addAll(others);
    return groups;
  }

  @Override
  public void close() {
    fleet.close();
    allocator.close();
    admin.close();
    bench.close();
  }
}
