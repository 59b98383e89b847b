package dev.kos.bench.agent;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.serde.AvroSerde;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Placement → RUNNING on one real agent (tasks are real OS processes) on the embedded broker:
 * {@code launches} LaunchTasks of a trivial command, one at a time, each published only after the
 * previous one was reported RUNNING. Two figures per launch: placement created (producer's record
 * timestamp) → RUNNING stamped by the agent (one bus hop, consume, validate, sandbox, fork, exec),
 * and placement sent → RUNNING received by a consumer (two bus hops). Printed, never asserted.
 *
 * <p>Usage: {@code PlacementToRunning [launches=200] [command=true] [bootstrap]}
 */
public final class PlacementToRunning {
  private static final String AGENT = "bench-agent";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private PlacementToRunning() {
  }

  public static void main(String[] args) throws Exception {
    int launches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    String command = args.length > 1 ? args[1] : "true";
    Path workDir = Files.createTempDirectory("kos-bench-agent");
    try (BenchBus bench = BenchBus.start(args.length > 2 ? args[2] : null, 4);
        BusPublisher publisher = new BusPublisher(bench.bus, "bench-placements");
        KafkaConsumer<byte[], byte[]> statuses = new KafkaConsumer<>(
            bench.bus.consumerProperties(null, "bench-statuses"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        BusAgent agent = BusAgent.start(new AgentSettings(AGENT, InetAddress.getLocalHost().getHostName(),
            new ResourceSet(4, 4096, 1000, List.of(new PortRange(31000, 31010))), Map.of(), Map.of(), workDir,
            bench.settings(), AgentSettings.DEFAULT_HEARTBEAT, AgentSettings.DEFAULT_METRICS_INTERVAL,
            AgentSettings.DEFAULT_LOG_BUFFER_CAPACITY), Clock.systemUTC())) {
      String topic = bench.bus.topic(Topics.TASK_STATUS);
      statuses.assign(statuses.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList());
      AvroSerde<TaskStatus> serde = bench.bus.serde(Topics.TASK_STATUS);
      long[] agentMillis = new long[launches];
      long[] roundTripNanos = new long[launches];
      int warmup = Math.min(20, launches / 10);
      for (int i = -warmup; i < launches; i++) {
        String taskId = "bench-" + (i + warmup);
        long sent = System.nanoTime();
        long created = publisher.publish(Topics.PLACEMENTS, AGENT, launch(taskId, command)).get().timestamp();
        TaskStatus running = awaitRunning(statuses, serde, topic, taskId);
        if (i >= 0) {
          roundTripNanos[i] = System.nanoTime() - sent;
          agentMillis[i] = running.getTimestamp().toEpochMilli() - created;
        }
      }
      Arrays.sort(agentMillis);
      Arrays.sort(roundTripNanos);
      System.out.printf("placement -> RUNNING on one real agent (%s, limits: %s), command '%s', %d launches one at a time"
              + " after %d warm-up, %d partitions, broker %s%n", AGENT, agent.executor().limitEnforcement().label(),
          command, launches, warmup, bench.bus.catalog().partitions(), bench.settings().bootstrapServers());
      System.out.printf("  placement created -> RUNNING stamped by the agent: p50 %d ms, p99 %d ms, max %d ms%n",
          agentMillis[percentile(launches, 0.50)], agentMillis[percentile(launches, 0.99)], agentMillis[launches - 1]);
      System.out.printf("  placement sent -> RUNNING received by a consumer: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          roundTripNanos[percentile(launches, 0.50)] / 1e6, roundTripNanos[percentile(launches, 0.99)] / 1e6,
          roundTripNanos[launches - 1] / 1e6);
    }
  }

  private static TaskStatus awaitRunning(KafkaConsumer<byte[], byte[]> consumer, AvroSerde<TaskStatus> serde,
      String topic, String taskId) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
        TaskStatus status = serde.deserialize(topic, record.value());
        if (status.getTaskId().equals(taskId) && status.getState() == TaskState.RUNNING) {
          return status;
        }
        if (status.getTaskId().equals(taskId) && status.getState() != TaskState.STARTING) {
          throw new IllegalStateException("task " + taskId + " ended " + status.getState() + " instead of RUNNING: "
              + status.getMessage());
        }
      }
    }
    throw new IllegalStateException("task " + taskId + " was not reported RUNNING within " + DEADLINE);
  }

  private static int percentile(int count, double p) {
    return Math.min(count - 1, (int) Math.ceil(p * count) - 1);
  }

  private static PlacementEvent launch(String taskId, String command) {
    TaskInfo task = TaskInfo.newBuilder()
        .setTaskId(taskId)
        .setName(taskId)
        .setFrameworkId("bench")
        .setCommand(CommandInfo.newBuilder().setShell(command).build())
        .setResources(Resources.newBuilder().setCpus(0.01).setMem(32).build())
        .build();
    return new PlacementEvent(LaunchTask.newBuilder().setAgentId(AGENT).setFrameworkId("bench")
        .setOfferId("offer-" + taskId).setTask(task).build());
  }
}
