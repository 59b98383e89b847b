package dev.kos.bus.client;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.serde.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A command's reader of kos topics: no consumer group (a command reads, it never commits), the
 * partitions assigned by hand, committed records only. Bytes in, so that one record that does not
 * decode is reported and skipped instead of ending the command.
 */
public final class TopicReader implements AutoCloseable {

  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  private final ControlBus bus;
  private final KafkaConsumer<byte[], byte[]> consumer;

  public TopicReader(ControlBus bus, String clientId) {
    this.bus = bus;
    this.consumer = new KafkaConsumer<>(bus.consumerProperties(null, clientId), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Every partition of a topic; a topic that is missing or a cluster that does not answer is the user's to fix. */
  public static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, LOOKUP_TIMEOUT);
    } catch (TimeoutException e) {
      throw new ClientProblem("the Kafka cluster did not answer within " + DurationText.of(LOOKUP_TIMEOUT)
          + ": is it up? (`kos up` starts one; --bootstrap-server names another)");
    }
    if (infos == null || infos.isEmpty()) {
      throw new ClientProblem("topic " + topic + " does not exist on the cluster; `kos up` creates the kos topics");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    return partitions;
  }

  public List<TopicPartition> partitionsOf(TopicDef<?> topic) {
    return partitionsOf(consumer, bus.topic(topic));
  }

  /** Reads these partitions from their oldest record. */
  public void fromBeginning(Collection<TopicPartition> partitions) {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Reads these partitions from their end as it is now, not as it will be at the first poll: a
   * command that publishes next must not miss an answer that comes quickly.
   */
  public void fromEndNow(Collection<TopicPartition> partitions) {
    consumer.assign(partitions);
    consumer.endOffsets(partitions).forEach(consumer::seek);
  }

  /**
   * Reads these partitions from their last {@code records} records (from their oldest, where they hold fewer): a
   * tail that costs the same however long the topic's history is.
   */
  public void fromLast(Collection<TopicPartition> partitions, long records) {
    consumer.assign(partitions);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
    consumer.endOffsets(partitions).forEach((partition, end) -> consumer.seek(partition,
        Math.max(begin.getOrDefault(partition, 0L), end - records)));
  }

  /** Hands every record up to the end offsets of the assigned partitions, as they are now, to the handler. */
  public void readToEnd(Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new ClientProblem("could not read " + end.keySet() + " to its end within "
            + DurationText.of(CATCH_UP_TIMEOUT) + ": is the Kafka cluster overloaded?");
      }
      consumer.poll(POLL).forEach(handler);
    }
  }

  /**
   * Hands records to the handler as they arrive, until the thread is interrupted: an embedding caller's way
   * to stop (a user's Ctrl-C ends the JVM instead). The interrupt is consumed here, as the request it is,
   * so that the reader still closes cleanly.
   */
  public void follow(Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    try {
      while (!Thread.interrupted()) {
        consumer.poll(POLL).forEach(handler);
      }
    } catch (InterruptException e) {
      Thread.interrupted();
    }
  }

  /** The first record with this key that arrives within the timeout, decoded; undecodable ones are passed over. */
  public <V extends SpecificRecord> Optional<V> awaitKey(TopicDef<V> topic, String key, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (key.equals(keyOf(record)) && record.value() != null) {
          try {
            return Optional.of(decode(topic, record));
          } catch (MalformedRecordException e) {
            // Someone else's broken answer under our key: keep waiting for the real one.
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The value of a record of this topic.
   *
   * @throws MalformedRecordException if it does not decode
   */
  public <V extends SpecificRecord> V decode(TopicDef<V> topic, ConsumerRecord<byte[], byte[]> record) {
    return bus.serde(topic).deserialize(record.topic(), record.value());
  }

  public static String keyOf(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
