package dev.kos.agent.testing;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A kos bus of its own on the test broker: a fresh topic prefix with every topic, an embedded
 * schema registry, a publisher, and a reader that keeps every record the agents write (agents,
 * task-status, logs, metrics, command-results, dead-letters) for tests to wait on.
 */
public final class BusFixture implements AutoCloseable {
  public static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final List<TopicDef<?>> WATCHED = List.of(Topics.AGENTS, Topics.TASK_STATUS, Topics.LOGS,
      Topics.METRICS, Topics.COMMAND_RESULTS, Topics.DEAD_LETTERS);

  /** A record as read back: its key and decoded value. */
  public record Keyed<V>(String key, V value) {
  }

  public final ControlBus bus;
  private final SchemaRegistryServer registry;
  private final BusPublisher publisher;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread readerThread;
  private final Map<TopicDef<?>, List<Keyed<?>>> records = new ConcurrentHashMap<>();
  private volatile boolean reading = true;

  private BusFixture(String bootstrap, String name, int partitions) throws Exception {
    String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    registry = SchemaRegistryServer.start(bootstrap, "_schemas-" + prefix, "127.0.0.1", 0);
    bus = new ControlBus(new BusSettings(bootstrap, registry.url(), new TopicCatalog(prefix, partitions, (short) 1)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicBootstrap(admin, bus.catalog()).ensureTopics();
    }
    publisher = new BusPublisher(bus, "test-" + name);
    consumer = new KafkaConsumer<>(bus.consumerProperties(null, "test-reader-" + name), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    WATCHED.forEach(topic -> records.put(topic, new CopyOnWriteArrayList<>()));
    readerThread = new Thread(this::read, "test-reader-" + name);
    readerThread.start();
  }

  public static BusFixture start(String bootstrap, String name, int partitions) throws Exception {
    return new BusFixture(bootstrap, name, partitions);
  }

  public BusSettings settings() {
    return bus.settings();
  }

  public <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value)
      throws ExecutionException, InterruptedException {
    publisher.publish(topic, key, value).get();
  }

  public void publishRaw(TopicDef<?> topic, String key, byte[] value) throws ExecutionException, InterruptedException {
    publisher.publishRaw(bus.topic(topic), key, value).get();
  }

  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> List<Keyed<V>> records(TopicDef<V> topic) {
    return List.copyOf((List<Keyed<V>>) (List<?>) records.get(topic));
  }

  public <V extends SpecificRecord> List<V> values(TopicDef<V> topic, Predicate<V> wanted) {
    return records(topic).stream().map(Keyed::value).filter(wanted).toList();
  }

  /** The first record of {@code topic} that matches, waiting for it up to {@link #DEADLINE}. */
  public <V extends SpecificRecord> Keyed<V> await(TopicDef<V> topic, Predicate<Keyed<V>> wanted, String what) {
    return Await.until(() -> records(topic).stream().filter(wanted).findFirst(), DEADLINE,
        () -> "never saw " + what + " on " + bus.topic(topic) + "; saw: " + records(topic));
  }

  /** The first status of {@code taskId} in {@code state}, waiting for it. */
  public TaskStatus awaitStatus(String taskId, TaskState state) {
    return await(Topics.TASK_STATUS,
        status -> status.value().getTaskId().equals(taskId) && status.value().getState() == state,
        "task " + taskId + " " + state).value();
  }

  /** Every state {@code taskId} was reported in so far, in order. */
  public List<TaskState> states(String taskId) {
    return values(Topics.TASK_STATUS, status -> status.getTaskId().equals(taskId)).stream()
        .map(TaskStatus::getState).toList();
  }

  /** The lines of {@code taskId}'s stdout shipped so far. */
  public List<String> stdout(String taskId) {
    return values(Topics.LOGS, line -> line.getTaskId().equals(taskId) && line.getStream() == LogStream.STDOUT)
        .stream().map(LogLine::getLine).toList();
  }

  @Override
  public void close() throws InterruptedException {
    reading = false;
    consumer.wakeup();
    readerThread.join(DEADLINE.toMillis());
    publisher.close();
    registry.close();
  }

  private void read() {
    try {
      List<TopicPartition> partitions = WATCHED.stream()
          .flatMap(topic -> IntStream.range(0, bus.catalog().partitionsOf(topic))
              .mapToObj(partition -> new TopicPartition(bus.topic(topic), partition)))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (reading) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          keep(record);
        }
      }
    } catch (WakeupException e) {
      if (reading) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void keep(ConsumerRecord<byte[], byte[]> record) {
    TopicDef<?> topic = WATCHED.stream().filter(t -> bus.topic(t).equals(record.topic())).findFirst().orElseThrow();
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    records.get(topic).add(new Keyed<>(key, bus.serde(topic).deserialize(record.topic(), record.value())));
  }
}
