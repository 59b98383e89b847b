package dev.kos.bench.agent;

import static dev.kos.bench.HeapMeter.usedHeapAfterGc;

import dev.kos.agent.model.CommandSpec;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.sim.BusFleet;
import dev.kos.agent.sim.SimSpec;
import dev.kos.agent.sim.SimulatedFleet;
import dev.kos.agent.sim.TaskDurations;
import dev.kos.bus.catalog.Topics;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Heap per simulated agent and the heartbeat rate a fleet sustains. First the pure core alone
 * (growth of used heap after full collections once the fleet exists, idle and with one running
 * task per agent), then the whole
 * {@code kos agent-sim} shell on the embedded broker: heap growth once it has registered every
 * agent and run a heartbeat round (producer buffers, consumer and registry client included), and
 * AgentReport records/s counted on kos.agents by a separate consumer over a measurement window.
 * Approximate (System.gc() promises nothing); printed, never asserted.
 *
 * <p>Usage: {@code SimFleetFootprint [agents=10000] [heartbeat-seconds=5] [window-seconds=20] [bootstrap]}
 */
public final class SimFleetFootprint {
  private static final ResourceSet RESOURCES = new ResourceSet(8, 32768, 100_000, List.of(new PortRange(31000, 32000)));

  private SimFleetFootprint() {
  }

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Duration heartbeat = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
    Duration window = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
    SimSpec spec = new SimSpec(agents, "sim", RESOURCES, Map.of("zone", "sim"), TaskDurations.parse("exp:30s"), 0.01,
        heartbeat, 1);

    long empty = usedHeapAfterGc();
    SimulatedFleet core = new SimulatedFleet(spec, Instant.now());
    long withCore = usedHeapAfterGc();
    Instant now = Instant.now();
    for (int agent = 0; agent < agents; agent++) {
      core.launch(agent, task("t" + agent), now);
    }
    long withTasks = usedHeapAfterGc();
    if (core.runningTasks() != agents) {
      throw new IllegalStateException("expected one running task per agent, got " + core.runningTasks());
    }
    System.out.printf("simulated fleet core: %d agents, %d bytes/agent retained idle, %d bytes/agent with one running "
        + "task each (heap %d -> %d -> %d bytes)%n", agents, (withCore - empty) / agents, (withTasks - empty) / agents,
        empty, withCore, withTasks);
    Reference.reachabilityFence(core);

    try (BenchBus bench = BenchBus.start(args.length > 3 ? args[3] : null, 4)) {
      long before = usedHeapAfterGc();
      try (BusFleet fleet = BusFleet.start(spec, bench.settings(), Clock.systemUTC());
          KafkaConsumer<byte[], byte[]> reports = new KafkaConsumer<>(bench.bus.consumerProperties(null, "bench-reports"),
              new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        String topic = bench.bus.topic(Topics.AGENTS);
        List<TopicPartition> partitions = reports.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        reports.assign(partitions);
        count(reports, heartbeat.plusSeconds(2));
        long running = usedHeapAfterGc();
        System.out.printf("kos agent-sim on the bus: %d agents, heartbeat %d s: %d bytes/agent retained with producer, "
                + "consumer and registry client (heap %d -> %d bytes)%n", agents, heartbeat.toSeconds(),
            (running - before) / agents, before, running);
        long sentBefore = fleet.reportsSent();
        long start = System.nanoTime();
        long received = count(reports, window);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("heartbeats: %.0f AgentReport records/s read back from %s over %.0f s (%.0f/s sent; "
                + "expected %d/s = agents / heartbeat), %d partitions, broker %s%n", received / seconds, topic, seconds,
            (fleet.reportsSent() - sentBefore) / seconds, agents / heartbeat.toSeconds(),
            bench.bus.catalog().partitions(), bench.settings().bootstrapServers());
      }
    }
  }

  /** Reads for {@code duration} and returns how many records arrived. */
  private static long count(KafkaConsumer<byte[], byte[]> consumer, Duration duration) {
    long records = 0;
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(100))) {
        records++;
      }
    }
    return records;
  }

  private static TaskSpec task(String taskId) {
    return new TaskSpec(taskId, taskId, "bench", null, new CommandSpec("true", List.of(), Map.of()),
        new ResourceSet(1, 1024, 0, List.of()), List.of(), List.of(), null, Map.of());
  }

}
