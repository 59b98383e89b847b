package dev.kos.bus.testing;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Durability;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A kos bus of its own on the shared test broker: a registry, a unique topic prefix and the
 * catalogue's topics, so tests in one JVM never see each other's records. The topics get the
 * replication kos chooses for the bus's brokers, as `kos` itself would create them: one copy on one
 * broker, three with two in sync on a cluster of three.
 */
public final class TestBus implements AutoCloseable {

  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private final SchemaRegistryServer registry;
  private final ControlBus bus;
  private final BusPublisher publisher;

  private TestBus(SchemaRegistryServer registry, ControlBus bus) {
    this.registry = registry;
    this.bus = bus;
    this.publisher = new BusPublisher(bus, "test");
  }

  public static TestBus start(String bootstrap, int partitions) {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try {
      SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, "_schemas-" + prefix, "127.0.0.1", 0);
      ControlBus bus = new ControlBus(new BusSettings(bootstrap, registry.url(),
          new TopicCatalog(prefix, partitions, Durability.BY_BROKERS)));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        new TopicBootstrap(admin, bus.catalog()).ensureTopics();
      }
      return new TestBus(registry, bus);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ControlBus bus() {
    return bus;
  }

  public String registryUrl() {
    return registry.url();
  }

  /** Publishes and waits for the broker's ack. */
  public <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value) {
    try {
      publisher.publish(topic, key, value).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not publish to " + bus.topic(topic), e);
    }
  }

  public void publishRaw(TopicDef<?> topic, String key, byte[] value) {
    try {
      publisher.publishRaw(bus.topic(topic), key, value).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not publish to " + bus.topic(topic), e);
    }
  }

  /**
   * Every committed record of a topic from the beginning, decoded: read until at least
   * {@code atLeast} are there and then a second passes with nothing new.
   */
  public <V extends SpecificRecord> List<Keyed<V>> readCommitted(TopicDef<V> topic, int atLeast) {
    return read(topic, atLeast, "read_committed");
  }

  /** Every record of a topic, including those of open or aborted transactions. */
  public <V extends SpecificRecord> List<Keyed<V>> readUncommitted(TopicDef<V> topic, int atLeast) {
    return read(topic, atLeast, "read_uncommitted");
  }

  private <V extends SpecificRecord> List<Keyed<V>> read(TopicDef<V> topic, int atLeast, String isolation) {
    String name = bus.topic(topic);
    Properties props = bus.consumerProperties("reader-" + UUID.randomUUID(), "reader");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<Keyed<V>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(name));
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
          records.add(new Keyed<>(key, record.value() == null ? null : bus.serde(topic).deserialize(name, record.value())));
        }
        if (records.size() >= atLeast && quietUntil == Long.MAX_VALUE) {
          // Keep reading for a second: a test that counts must see duplicates, if there are any.
          quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        }
      }
    }
    return records;
  }

  /** Polls until the condition holds, failing the test after {@link #DEADLINE}. */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() {
    publisher.close();
    registry.close();
  }

  /** A record's key and decoded value. */
  public record Keyed<V>(String key, V value) {
  }
}
