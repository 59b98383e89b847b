package dev.kos.bus;

import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.registry.RestSchemaRegistryClient;
import dev.kos.bus.registry.SchemaRegistryClient;
import dev.kos.bus.serde.AvroSerde;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The entry point to the bus for one process: topic names from the catalogue, one serde per
 * topic over a shared registry client (so each schema is fetched once), and client settings
 * that every kos producer and consumer shares.
 */
public final class ControlBus {

  private final BusSettings settings;
  private final SchemaRegistryClient registry;
  private final Map<TopicDef<?>, AvroSerde<?>> serdes = new ConcurrentHashMap<>();

  public ControlBus(BusSettings settings) {
    this(settings, new RestSchemaRegistryClient(settings.schemaRegistryUrl()));
  }

  public ControlBus(BusSettings settings, SchemaRegistryClient registry) {
    this.settings = settings;
    this.registry = registry;
  }

  public BusSettings settings() {
    return settings;
  }

  public TopicCatalog catalog() {
    return settings.catalog();
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public String topic(TopicDef<?> topic) {
    return settings.catalog().name(topic);
  }

  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> AvroSerde<V> serde(TopicDef<V> topic) {
    return (AvroSerde<V>) serdes.computeIfAbsent(topic, t -> new AvroSerde<>(topic.valueType(), registry));
  }

  /**
   * How long a producer keeps retrying a record before it gives up: five minutes, so a send made as
   * the bus goes away survives an outage of over four (a last attempt may take request.timeout.ms,
   * 30 s) where Kafka's default two minutes survives 90 s. Retries are safe to keep up that long
   * because the producer is idempotent; it also matches the consumers' max.poll.interval.ms, so a
   * loop blocked on a dead letter is not the first to give up.
   */
  public static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);
  /**
   * How long {@code send} may block for a topic's partitions it does not know yet (Kafka's default
   * is one minute): a process that starts, or first writes a topic, in an outage outwaits it.
   */
  public static final Duration MAX_BLOCK = Duration.ofMinutes(2);

  /**
   * Producer settings: durable (acks=all) and idempotent, so retries never duplicate; retrying
   * through a bus outage ({@link #DELIVERY_TIMEOUT}, {@link #MAX_BLOCK}). The timeouts are defaults
   * a client config may change; the durability settings are not.
   */
  public Properties producerProperties(String clientId) {
    Properties props = settings.clientProperties();
    props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK.toMillis()));
    props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return props;
  }

  /**
   * How long a transaction may stay open before its coordinator aborts it (Kafka's default is one minute): as
   * long as a send may keep retrying through an outage ({@link #DELIVERY_TIMEOUT}), so an outage does not abort
   * a transaction whose records are still on their way. Brokers allow up to 15 minutes by default.
   */
  public static final Duration TRANSACTION_TIMEOUT = DELIVERY_TIMEOUT;

  /**
   * Settings of a transactional producer: those of {@link #producerProperties}, plus {@code transactionalId}.
   * Every producer with that id fences the ones before it: once a new one has initialised, an older one can
   * no longer commit anything.
   */
  public Properties transactionalProducerProperties(String clientId, String transactionalId) {
    Properties props = producerProperties(clientId);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT.toMillis()));
    return props;
  }

  /**
   * How long a group member may be silent before its partitions go to another (Kafka's default is 45 s). A kos
   * framework killed with -9 and restarted at once would otherwise read no command until its dead self timed out:
   * the chaos suite saw a restarted apps framework answer nothing for 40 s. 10 s is above the brokers' 6 s minimum
   * and rides out a long GC pause on a busy machine.
   */
  public static final Duration GROUP_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** Consumer settings: offsets committed by the kos loop after a record is handled, never before. */
  public Properties consumerProperties(String groupId, String clientId) {
    Properties props = settings.clientProperties();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(GROUP_SESSION_TIMEOUT.toMillis()));
      props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          Long.toString(GROUP_SESSION_TIMEOUT.dividedBy(3).toMillis()));
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }
}
