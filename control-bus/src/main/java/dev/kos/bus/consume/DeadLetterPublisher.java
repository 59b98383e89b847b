package dev.kos.bus.consume;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.schema.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records a consumer cannot use to {@code kos.dead-letters} with the original topic,
 * partition, offset, raw key and value bytes, and the reason, so nothing is lost and an
 * operator can see what to fix. Payloads too large to fit in a letter are cut ({@link DeadLetters}).
 */
public final class DeadLetterPublisher {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final ControlBus bus;
  private final BusPublisher publisher;
  private final String consumerName;
  private final Supplier<Instant> clock;

  public DeadLetterPublisher(ControlBus bus, BusPublisher publisher, String consumerName, Supplier<Instant> clock) {
    this.bus = bus;
    this.publisher = publisher;
    this.consumerName = consumerName;
    this.clock = clock;
  }

  /** Publishes the dead letter and waits for the broker's ack, so the caller may then commit. */
  public void send(ConsumerRecord<byte[], byte[]> record, String reason) {
    DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(),
        record.value(), reason, consumerName, clock.get());
    byte[] letterKey = DeadLetters.keyOf(record.key());
    String key = letterKey == null ? null : new String(letterKey, StandardCharsets.UTF_8);
    log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), letter.getReason());
    try {
      publisher.publish(Topics.DEAD_LETTERS, key, letter).get();
      ProcessMetrics.deadLetterSent(record.topic(), consumerName);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering " + record.topic(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not publish to " + bus.topic(Topics.DEAD_LETTERS)
          + ": " + e.getCause().getMessage(), e.getCause());
    }
  }
}
