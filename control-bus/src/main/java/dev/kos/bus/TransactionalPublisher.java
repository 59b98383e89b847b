package dev.kos.bus;

import dev.kos.bus.catalog.TopicDef;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes groups of records all or nothing, under a transactional id shared by every instance of one
 * process (a framework), so that only the newest instance can write: Kafka fences a producer once another
 * with its transactional id has initialised, as it fences a zombie Streams task. A process that reads its
 * state back (read_committed) after {@link #fenceEarlierInstances()} therefore sees everything an earlier
 * instance will ever have committed, and nothing that instance writes later.
 */
public final class TransactionalPublisher implements AutoCloseable {

  /** Thrown once a newer instance with the same transactional id has taken over: this one may not write. */
  public static final class FencedException extends RuntimeException {
    public FencedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The records of one transaction. */
  public interface Transaction {
    <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value);

    /**
     * Commits the record at {@code offset} of {@code topic}-{@code partition} as consumed by {@code group} with
     * the transaction: it is delivered to the group again only if the transaction does not commit, so what the
     * transaction writes in answer to it is written once.
     */
    void consumed(String topic, int partition, long offset, ConsumerGroupMetadata group);
  }

  private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);

  private final ControlBus bus;
  private final String transactionalId;
  private final KafkaProducer<String, byte[]> producer;
  private boolean fenced;

  public TransactionalPublisher(ControlBus bus, String clientId, String transactionalId) {
    this.bus = bus;
    this.transactionalId = transactionalId;
    this.producer = new KafkaProducer<>(bus.transactionalProducerProperties(clientId, transactionalId),
        new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Takes the transactional id over: an earlier instance's open transaction is aborted (or completed, if it
   * was committing), and that instance can commit nothing from now on. Blocks until the coordinator agrees.
   */
  public void fenceEarlierInstances() {
    producer.initTransactions();
  }

  /**
   * Publishes what {@code body} publishes in one transaction and waits until it is committed; a commit the
   * bus cannot take now (an outage) is retried until it is.
   *
   * @throws FencedException if a newer instance took the transactional id over: nothing was written
   * @throws IllegalStateException if the transaction failed otherwise: it was aborted, nothing was written
   */
  public void inTransaction(Consumer<Transaction> body) {
    if (fenced) {
      throw new FencedException("transactional id " + transactionalId + " was taken over by a newer instance",
          null);
    }
    try {
      producer.beginTransaction();
      body.accept(new Transaction() {
        @Override
        public <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value) {
          String name = bus.topic(topic);
          producer.send(new ProducerRecord<>(name, key, value == null ? null : bus.serde(topic).serialize(name,
              value)));
        }

        @Override
        public void consumed(String topic, int partition, long offset, ConsumerGroupMetadata group) {
          producer.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, partition),
              new OffsetAndMetadata(offset + 1)), group);
        }
      });
      commit();
    } catch (KafkaException e) {
      if (isFencing(e)) {
        fenced = true;
        throw new FencedException("transactional id " + transactionalId + " was taken over by a newer instance: "
            + e.getMessage(), e);
      }
      abortQuietly();
      throw new IllegalStateException("a transaction of " + transactionalId + " failed and was aborted: "
          + e.getMessage(), e);
    }
  }

  private void commit() {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        // The same transaction may be committed again after a timeout; the bus is away, not the data.
        log.warn("commit of a transaction of {} timed out (attempt {}): {}; retrying", transactionalId, attempt,
            e.getMessage());
      }
    }
  }

  /** A fencing error comes as itself or, from a send, as the cause of the commit's error. */
  private static boolean isFencing(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      log.warn("could not abort a transaction of {}: {}", transactionalId, e.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
