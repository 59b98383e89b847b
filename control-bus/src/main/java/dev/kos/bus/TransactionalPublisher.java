package dev.kos.bus;

import dev.kos.bus.catalog.TopicDef;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 *
 * <p>A producer can also fail for good without being fenced: when the bus loses the broker that coordinates its
 * transactions, the new coordinator may abort the open transaction, and the producer then refuses every call,
 * abort included ("in an error state"). A chaos run saw a framework stay that way for minutes, answering no
 * command. So a producer whose failed transaction cannot even be aborted is replaced by a new one under the same
 * transactional id, and the transaction is tried again on it ({@link #ATTEMPTS} in all): the aborted attempt wrote
 * nothing, so running the body again writes each record once. The new producer's initialisation aborts whatever
 * the old one left open. Replacing only follows our own producer's failure, never a fencing error: an instance
 * that was taken over stays fenced.
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

  /** Tries of one transaction when the producer fails for good: the first, and one on each new producer. */
  static final int ATTEMPTS = 3;

  private final ControlBus bus;
  private final String transactionalId;
  private final Supplier<Producer<String, byte[]>> producers;
  private Producer<String, byte[]> producer;
  private boolean fenced;
  /** The producer refused even to abort: it is replaced before the next transaction. */
  private boolean broken;

  public TransactionalPublisher(ControlBus bus, String clientId, String transactionalId) {
    this(bus, transactionalId, () -> new KafkaProducer<>(bus.transactionalProducerProperties(clientId,
        transactionalId), new StringSerializer(), new ByteArraySerializer()));
  }

  /** With the producers it makes from {@code producers}: each time the one in use fails for good. */
  TransactionalPublisher(ControlBus bus, String transactionalId, Supplier<Producer<String, byte[]>> producers) {
    this.bus = bus;
    this.transactionalId = transactionalId;
    this.producers = producers;
    this.producer = producers.get();
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
    for (int attempt = 1; ; attempt++) {
      if (fenced) {
        throw new FencedException("transactional id " + transactionalId + " was taken over by a newer instance",
            null);
      }
      try {
        if (broken) {
          replaceProducer();
        }
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
        return;
      } catch (KafkaException e) {
        if (isFencing(e)) {
          fenced = true;
          throw new FencedException("transactional id " + transactionalId + " was taken over by a newer instance: "
              + e.getMessage(), e);
        }
        if (!broken && !abortQuietly()) {
          broken = true;
        }
        if (!broken || attempt >= ATTEMPTS) {
          throw new IllegalStateException("a transaction of " + transactionalId + " failed and was aborted: "
              + e.getMessage(), e);
        }
        log.warn("a transaction of {} failed and its producer refuses to go on ({}); trying again on a new producer "
            + "(attempt {} of {})", transactionalId, e.getMessage(), attempt + 1, ATTEMPTS);
      }
    }
  }

  /**
   * Closes the failed producer and initialises a new one under the same transactional id. If the bus cannot
   * initialise it now, the error propagates and the next transaction tries again.
   */
  private void replaceProducer() {
    try {
      producer.close(Duration.ZERO);
    } catch (KafkaException e) {
      log.debug("closing the failed producer of {}: {}", transactionalId, e.getMessage());
    }
    producer = producers.get();
    producer.initTransactions();
    broken = false;
    log.info("a new producer took over transactional id {}", transactionalId);
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

  /** False if the producer refused to abort: it is in an error state it will not leave. */
  private boolean abortQuietly() {
    try {
      producer.abortTransaction();
      return true;
    } catch (KafkaException e) {
      log.warn("could not abort a transaction of {}: {}", transactionalId, e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
