package dev.kos.bus.consume;

import dev.kos.bus.ControlBus;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.metrics.SummedGauges;
import dev.kos.bus.serde.MalformedRecordException;
import io.micrometer.core.instrument.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop every kos consumer runs: decode, hand over, commit. A record that does
 * not decode, that the handler rejects, or on which the handler fails goes to the dead-letter
 * topic with the reason, and the loop goes on with the next record. Offsets are committed only
 * after the batch's records are handled or dead-lettered, so a crash re-delivers, never skips; a
 * commit the bus cannot take now is retried on the next turn, so an outage does not end the loop.
 * An Error from a handler is not the record's fault and is not dead-lettered: it ends the loop, and
 * the {@link LoopSupervisor} running it decides what becomes of the process. A handler that may no longer
 * act throws {@link HandOverException}: the loop ends quietly, leaving that record uncommitted.
 */
public final class BusConsumerLoop<V> implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BusConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);

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
  private final String group;
  private final String clientId;
  /** Records on the loop's partitions past its position, as of its last poll: {@code kos_consumer_lag}. */
  private final AtomicLong lag = new AtomicLong();
  private final Subscription subscription;
  private final boolean commits;
  private final Decoder<V> decoder;
  private final Handler<V> handler;
  private final DeadLetterPublisher deadLetters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Handled but not yet committed: the next offset to read, per partition. Confined to the loop's thread. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private int failedCommits;

  /**
   * @param groupId the consumer group whose offsets the loop commits; null for a reader that
   *     keeps no position (it then starts where its subscription puts it)
   */
  public BusConsumerLoop(ControlBus bus, String groupId, String clientId, Subscription subscription,
      Decoder<V> decoder, Handler<V> handler, DeadLetterPublisher deadLetters) {
    this.consumer = new KafkaConsumer<>(bus.consumerProperties(groupId, clientId),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.group = groupId == null ? "none" : groupId;
    this.clientId = clientId;
    this.subscription = subscription;
    this.commits = groupId != null;
    this.decoder = decoder;
    this.handler = handler;
    this.deadLetters = deadLetters;
  }

  @Override
  public void run() {
    SummedGauges.Contribution lagGauge = ProcessMetrics.summedGauges().add("kos_consumer_lag",
        "Records on a consumer loop's partitions that it has not read yet, as of its last poll",
        Tags.of("group", group, "client", clientId), lag::get);
    try {
      subscription.apply(consumer);
      while (running.get()) {
        var records = consumer.poll(POLL);
        lag.set(lagOfAssignment());
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (!process(record)) {
            handOver();
            return;
          }
          if (commits) {
            uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
        }
        if (!uncommitted.isEmpty()) {
          commit();
        }
      }
    } catch (RuntimeException e) {
      // Closing wakes the consumer up (WakeupException) or may interrupt a call in flight: that is the
      // loop ending as asked. The same exception while running is the loop dying, for its supervisor.
      if (running.get()) {
        throw e;
      }
      log.debug("consumer loop ended on {} after being closed", e.toString());
    } finally {
      lagGauge.close();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The sum of the lags the consumer knows (from its fetches; no request to the broker) on its partitions. */
  private long lagOfAssignment() {
    long sum = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong known = consumer.currentLag(partition);
      sum += known.orElse(0);
    }
    return sum;
  }

  /**
   * Commits the handled offsets of the partitions the loop still owns. A commit the bus cannot take
   * now (a broker outage times it out; a rebalance fails it) is not the loop's end: the offsets stay
   * and the next turn commits them with whatever was handled since, so the loop polls through an
   * outage. Offsets of partitions the loop lost are dropped: their new owner starts from the last
   * commit, re-delivering what this loop handled but could not commit, which handlers take twice
   * (they are idempotent or deduplicate) rather than skip.
   */
  private void commit() {
    uncommitted.keySet().retainAll(consumer.assignment());
    if (uncommitted.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(uncommitted);
      uncommitted.clear();
      if (failedCommits > 0) {
        log.info("offsets committed again after {} failed attempt(s)", failedCommits);
        failedCommits = 0;
      }
    } catch (RetriableException | CommitFailedException | RebalanceInProgressException e) {
      failedCommits++;
      log.warn("could not commit offsets {} (attempt {}): {}; keeping them for the next turn", uncommitted,
          failedCommits, e.toString());
    }
  }

  /**
   * The group membership of the loop's consumer, for a handler that commits its record's offset in a transaction
   * of its own ({@link dev.kos.bus.TransactionalPublisher.Transaction#consumed}). Only a handler may call it: the
   * consumer is the loop thread's.
   */
  public ConsumerGroupMetadata groupMetadata() {
    return consumer.groupMetadata();
  }

  /** Stops the loop from any thread; it finishes the record in hand and closes its consumer. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }

  /**
   * Commits what was handled before a {@link HandOverException} and stops: the record that raised it and the
   * rest of its batch stay uncommitted, for the partition's next owner.
   */
  private void handOver() {
    running.set(false);
    if (!uncommitted.isEmpty()) {
      commit();
    }
  }

  /** Handles or dead-letters one record; false if the handler handed the partition over instead. */
  private boolean process(ConsumerRecord<byte[], byte[]> record) {
    V value;
    try {
      value = record.value() == null ? null : decoder.decode(record.topic(), record.value());
    } catch (MalformedRecordException e) {
      deadLetters.send(record, "undecodable: " + e.getMessage());
      return true;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    try {
      handler.handle(new BusRecord<>(record.topic(), record.partition(), record.offset(), key, value,
          record.timestamp()));
    } catch (HandOverException e) {
      log.warn("handing {}-{}@{} and the rest of its batch over, uncommitted: {}", record.topic(),
          record.partition(), record.offset(), e.getMessage());
      return false;
    } catch (RejectedRecordException e) {
      deadLetters.send(record, "rejected: " + e.getMessage());
    } catch (RuntimeException e) {
      log.error("handler failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      deadLetters.send(record, "handler failed: " + e);
    }
    return true;
  }
}
