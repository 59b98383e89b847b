package dev.kos.bus.consume;

import dev.kos.bus.ControlBus;
import dev.kos.bus.serde.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop every kos consumer runs: decode, hand over, commit. A record that does
 * not decode, that the handler rejects, or on which the handler fails goes to the dead-letter
 * topic with the reason, and the loop goes on with the next record. Offsets are committed only
 * after the batch's records are handled or dead-lettered, so a crash re-delivers, never skips.
 */
public final class BusConsumerLoop<V> implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BusConsumerLoop.class);

  /** Turns a record's bytes into a value, or throws {@link MalformedRecordException} with the reason. */
  @FunctionalInterface
  public interface Decoder<V> {
    V decode(String topic, byte[] value);
  }

  /** Acts on one decoded record; throws {@link RejectedRecordException} for records that make no sense. */
  @FunctionalInterface
  public interface Handler<V> {
    void handle(BusRecord<V> record);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Subscription subscription;
  private final boolean commits;
  private final Decoder<V> decoder;
  private final Handler<V> handler;
  private final DeadLetterPublisher deadLetters;
  private final AtomicBoolean running = new AtomicBoolean(true);

  /**
   * @param groupId the consumer group whose offsets the loop commits; null for a reader that
   *     keeps no position (it then starts where its subscription puts it)
   */
  public BusConsumerLoop(ControlBus bus, String groupId, String clientId, Subscription subscription,
      Decoder<V> decoder, Handler<V> handler, DeadLetterPublisher deadLetters) {
    this.consumer = new KafkaConsumer<>(bus.consumerProperties(groupId, clientId),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.subscription = subscription;
    this.commits = groupId != null;
    this.decoder = decoder;
    this.handler = handler;
    this.deadLetters = deadLetters;
  }

  @Override
  public void run() {
    subscription.apply(consumer);
    try {
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          process(record);
          done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        if (commits) {
          consumer.commitSync(done);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Stops the loop from any thread; it finishes the record in hand and closes its consumer. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }

  private void process(ConsumerRecord<byte[], byte[]> record) {
    V value;
    try {
      value = record.value() == null ? null : decoder.decode(record.topic(), record.value());
    } catch (MalformedRecordException e) {
      deadLetters.send(record, "undecodable: " + e.getMessage());
      return;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    try {
      handler.handle(new BusRecord<>(record.topic(), record.partition(), record.offset(), key, value,
          record.timestamp()));
    } catch (RejectedRecordException e) {
      deadLetters.send(record, "rejected: " + e.getMessage());
    } catch (RuntimeException e) {
      log.error("handler failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      deadLetters.send(record, "handler failed: " + e);
    }
  }
}
