package dev.kos.bench.bus;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.bus.serde.AvroSerde;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Publish → consume through the kos serdes on the embedded broker (or an existing cluster):
 * records/s at full speed, and one-hop latency percentiles at a fixed offered rate. Both
 * producer and consumer run in this JVM, so a record's latency is the consumer's clock minus
 * the producer's at send. Figures are printed with their parameters, never asserted.
 *
 * <p>Usage: {@code BusRoundTrip [records=200000] [rate=1000] [seconds=10] [bootstrap]}
 */
public final class BusRoundTrip {

  private BusRoundTrip() {
  }

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    EmbeddedKafka broker = args.length > 3 ? null : EmbeddedKafka.start(EmbeddedKafkaSettings.defaults());
    String bootstrap = args.length > 3 ? args[3] : broker.bootstrapServers();
    try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, "_kos_schemas_bench", "127.0.0.1", 0)) {
      ControlBus bus = new ControlBus(new BusSettings(bootstrap, registry.url(),
          new TopicCatalog("bench-" + System.currentTimeMillis() + ".", 4, (short) 1)));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        new TopicBootstrap(admin, bus.catalog()).ensureTopics();
      }
      System.out.printf("kos bus round trip: TaskStatus records through AvroSerde (Confluent wire format), "
          + "acks=all, idempotent, linger 5 ms, %d partitions, broker %s%n", bus.catalog().partitions(), bootstrap);
      Phase throughput = run(bus, records, 0);
      System.out.printf("throughput: %d records, %.0f records/s end to end (%d bytes/record on the wire); "
          + "latency under full load p50 %.1f ms, p99 %.1f ms%n",
          records, throughput.recordsPerSecond(), throughput.bytesPerRecord(), throughput.p50(), throughput.p99());
      Phase latency = run(bus, rate * seconds, rate);
      System.out.printf("latency at %d records/s offered for %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          rate, seconds, latency.p50(), latency.p99(), latency.max());
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** Figures of one phase; latencies in milliseconds. */
  record Phase(double recordsPerSecond, long bytesPerRecord, double p50, double p99, double max) {
  }

  /** Sends {@code count} records, paced at {@code rate}/s (0: as fast as possible), and reads them back. */
  private static Phase run(ControlBus bus, int count, int rate) throws Exception {
    String topic = bus.topic(Topics.TASK_STATUS);
    AvroSerde<TaskStatus> serde = bus.serde(Topics.TASK_STATUS);
    long[] sentAt = new long[count];
    long[] latencyNanos = new long[count];
    AtomicLong bytes = new AtomicLong();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        bus.consumerProperties("bench-" + System.nanoTime(), "bench-consumer"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
        BusPublisher publisher = new BusPublisher(bus, "bench-producer")) {
      consumer.subscribe(List.of(topic));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);

      Thread producer = new Thread(() -> {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          if (rate > 0) {
            long due = start + (long) i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
              LockSupport.parkNanos(due - System.nanoTime());
            }
          }
          sentAt[i] = System.nanoTime();
          publisher.publish(Topics.TASK_STATUS, "agent-" + (i % 64), status(i));
        }
        publisher.flush();
      }, "bench-producer");
      long start = System.nanoTime();
      producer.start();
      int received = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (received < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          TaskStatus status = serde.deserialize(topic, record.value());
          int seq = Integer.parseInt(status.getTaskId().substring(5));
          latencyNanos[received++] = now - sentAt[seq];
          bytes.addAndGet(record.serializedValueSize());
        }
      }
      long elapsed = System.nanoTime() - start;
      producer.join();
      if (received < count) {
        throw new IllegalStateException("only " + received + " of " + count + " records came back in 5 minutes");
      }
      Arrays.sort(latencyNanos);
      return new Phase(count / (elapsed / 1e9), bytes.get() / count,
          percentile(latencyNanos, 0.50), percentile(latencyNanos, 0.99), latencyNanos[count - 1] / 1e6);
    }
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static TaskStatus status(int seq) {
    return TaskStatus.newBuilder()
        .setTaskId("task-" + seq)
        .setFrameworkId("apps")
        .setAgentId("agent-" + (seq % 64))
        .setAppId("/web")
        .setState(TaskState.RUNNING)
        .setMessage("started")
        .setTimestamp(Instant.now())
        .build();
  }
}
