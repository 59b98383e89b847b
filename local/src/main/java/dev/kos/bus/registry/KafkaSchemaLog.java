package dev.kos.bus.registry;

import dev.kos.bus.BusSettings;
import dev.kos.bus.catalog.Durability;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Keeps the registry's versions as keyed JSON records on a compacted, single-partition
 * topic (as Confluent's registry keeps {@code _schemas}), so the registry holds no state of
 * its own: a restarted registry replays the topic and serves the same ids.
 */
public final class KafkaSchemaLog implements AutoCloseable {

  public static final String DEFAULT_TOPIC = "_kos_schemas";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;

  public KafkaSchemaLog(String bootstrapServers, String topic) {
    this(bootstrapServers, Map.of(), topic);
  }

  /** @param clientConfig the bus's client settings (security), as {@link BusSettings#clientConfig()} */
  public KafkaSchemaLog(String bootstrapServers, Map<String, String> clientConfig, String topic) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    ensureTopic(BusSettings.adminConfig(bootstrapServers, clientConfig), topic);
    Properties producerProps = new Properties();
    producerProps.putAll(clientConfig);
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    Properties consumerProps = new Properties();
    consumerProps.putAll(clientConfig);
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Applies every version written since the last call, up to the topic's current end. */
  public synchronized void catchUp(RegistryState state) {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    while (consumer.position(partition) < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.value() != null) {
          state.apply(decode(record.value()));
        }
      }
    }
  }

  /** Writes a version and waits until the broker has it on every in-sync replica. */
  public synchronized void append(RegistryState.Version version) {
    byte[] key = (version.subject() + "/" + version.version()).getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, encode(version))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing a schema", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not store the schema in " + topic + ": " + e.getCause().getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
  }

  static byte[] encode(RegistryState.Version version) {
    ObjectNode node = JSON.createObjectNode()
        .put("subject", version.subject())
        .put("version", version.version())
        .put("id", version.id())
        .put("schema", version.schema().toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  static RegistryState.Version decode(byte[] value) {
    try {
      JsonNode node = JSON.readTree(value);
      return new RegistryState.Version(node.get("subject").asText(), node.get("version").asInt(),
          node.get("id").asInt(), new Schema.Parser().parse(node.get("schema").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable record in the schema log", e);
    }
  }

  private static void ensureTopic(Map<String, Object> adminConfig, String topic) {
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> names = admin.listTopics().names().get();
      if (!names.contains(topic)) {
        // The schemas decode every record of the bus: keep them as durably as kos's own topics.
        Durability durability = Durability.of(admin, Durability.BY_BROKERS);
        Map<String, String> configs = new HashMap<>(durability.topicConfig());
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        NewTopic newTopic = new NewTopic(topic, 1, durability.replicationFactor()).configs(configs);
        try {
          admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create the schema topic " + topic + ": "
          + e.getCause().getMessage(), e);
    }
  }
}
