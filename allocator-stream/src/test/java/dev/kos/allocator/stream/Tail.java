package dev.kos.allocator.stream;

import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.testing.TestBus;
import dev.kos.bus.testing.TestBus.Keyed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows one topic of a test bus from its beginning (committed records only) and keeps what it read, so
 * an integration test can wait for a record and then ask what came before or after it.
 */
final class Tail<V extends SpecificRecord> implements AutoCloseable {

  private final TestBus bus;
  private final TopicDef<V> topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Keyed<V>> seen = new ArrayList<>();

  Tail(TestBus bus, TopicDef<V> topic) {
    this.bus = bus;
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(bus.bus().consumerProperties("tail-" + UUID.randomUUID(), "tail"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(bus.bus().topic(topic)));
  }

  /** Reads until a record matches, failing after {@link TestBus#DEADLINE}; returns its index in {@link #seen()}. */
  int await(String what, Predicate<V> matches) {
    int[] found = {-1};
    TestBus.await(what, () -> {
      for (int i = Math.max(0, found[0]); i < seen.size(); i++) {
        if (seen.get(i).value() != null && matches.test(seen.get(i).value())) {
          found[0] = i;
          return true;
        }
      }
      found[0] = seen.size();
      poll();
      return false;
    });
    return found[0];
  }

  /** Reads until a record matches and returns it. */
  V awaitValue(String what, Predicate<V> matches) {
    return seen.get(await(what, matches)).value();
  }

  /** Reads what arrived in the next moment. */
  List<Keyed<V>> seen() {
    poll();
    return List.copyOf(seen);
  }

  private void poll() {
    String name = bus.bus().topic(topic);
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      seen.add(new Keyed<>(key, record.value() == null ? null : bus.bus().serde(topic).deserialize(name, record.value())));
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
