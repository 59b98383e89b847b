package dev.kos.bus;

import dev.kos.bus.catalog.TopicDef;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes typed records to catalogue topics. One producer serves every topic: values are
 * serialized here by the topic's serde, so the producer itself only moves bytes.
 */
public final class BusPublisher implements AutoCloseable {

  private final ControlBus bus;
  private final KafkaProducer<String, byte[]> producer;

  public BusPublisher(ControlBus bus, String clientId) {
    this.bus = bus;
    this.producer = new KafkaProducer<>(bus.producerProperties(clientId), new StringSerializer(),
        new ByteArraySerializer());
  }

  public <V extends SpecificRecord> Future<RecordMetadata> publish(TopicDef<V> topic, String key, V value) {
    String name = bus.topic(topic);
    return producer.send(new ProducerRecord<>(name, key, bus.serde(topic).serialize(name, value)));
  }

  /**
   * Publishes and waits until the broker has the record; one it did not take ends in an exception
   * that names the topic and the key.
   */
  public <V extends SpecificRecord> void publishAndWait(TopicDef<V> topic, String key, V value) {
    try {
      publish(topic, key, value).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + bus.topic(topic) + " (key " + key + ")", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not publish to " + bus.topic(topic) + " (key " + key + "): "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Publishes without waiting; {@code onFailure} hears of a record the broker did not take,
   * on the producer's I/O thread, so it must not block.
   */
  public <V extends SpecificRecord> void publishAsync(TopicDef<V> topic, String key, V value,
      Consumer<Exception> onFailure) {
    String name = bus.topic(topic);
    producer.send(new ProducerRecord<>(name, key, bus.serde(topic).serialize(name, value)), (meta, error) -> {
      if (error != null) {
        onFailure.accept(error);
      }
    });
  }

  /** Publishes raw bytes, for tools that pass records through (dead letters, replays, tests). */
  public Future<RecordMetadata> publishRaw(String topic, String key, byte[] value) {
    return producer.send(new ProducerRecord<>(topic, key, value));
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
