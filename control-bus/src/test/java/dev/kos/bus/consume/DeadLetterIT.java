package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.ScaleApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad records on a control topic end in the dead-letter topic with a reason; the consumer goes on. */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private SchemaRegistryServer registry;
  private ControlBus bus;

  @BeforeEach
  void startBus(@BootstrapServers String bootstrap) throws Exception {
    String prefix = "dl-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    registry = SchemaRegistryServer.start(bootstrap, "_schemas-" + prefix, "127.0.0.1", 0);
    bus = new ControlBus(new BusSettings(bootstrap, registry.url(), new TopicCatalog(prefix, 2, (short) 1)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicBootstrap(admin, bus.catalog()).ensureTopics();
    }
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldDeadLetterGarbageAndRejectedRecordsAndKeepConsuming() throws Exception {
    String commands = bus.topic(Topics.COMMANDS);
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    try (BusPublisher publisher = new BusPublisher(bus, "test")) {
      publisher.publish(Topics.COMMANDS, "/web", scale("c1", "/web", 3)).get();
      publisher.publishRaw(commands, "/web", garbage).get();
      publisher.publish(Topics.COMMANDS, "/web", scale("c2", "/nope", 1)).get();
      publisher.publish(Topics.COMMANDS, "/web", scale("c3", "/web", 5)).get();
    }

    List<String> handled = new CopyOnWriteArrayList<>();
    BusConsumerLoop<Command> loop;
    try (BusPublisher dlq = new BusPublisher(bus, "test-dlq")) {
      loop = new BusConsumerLoop<>(bus, "test-apps", "test-apps", Subscription.topics(List.of(commands)),
          bus.serde(Topics.COMMANDS)::deserialize,
          record -> {
            ScaleApp scale = (ScaleApp) record.value().getPayload();
            if (!scale.getAppId().equals("/web")) {
              throw new RejectedRecordException("unknown app " + scale.getAppId() + "; `kos app list` shows the apps");
            }
            handled.add(record.value().getCommandId());
          },
          new DeadLetterPublisher(bus, dlq, "test-apps", Instant::now));
      Thread thread = new Thread(loop, "consumer-loop");
      thread.start();
      List<DeadLetter> letters = readDeadLetters(2);
      waitUntil(() -> handled.size() == 2);
      loop.close();
      thread.join(DEADLINE.toMillis());

      assertThat(handled).containsExactly("c1", "c3");
      assertThat(letters).extracting(DeadLetter::getTopic).containsOnly(commands);
      DeadLetter undecodable = letters.get(0);
      assertThat(undecodable.getOffset()).isEqualTo(1);
      assertThat(undecodable.getReason()).startsWith("undecodable: ").contains("not the Confluent magic byte");
      assertThat(undecodable.getValue().array()).isEqualTo(garbage);
      assertThat(new String(undecodable.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("/web");
      assertThat(undecodable.getConsumer()).isEqualTo("test-apps");
      DeadLetter rejected = letters.get(1);
      assertThat(rejected.getOffset()).isEqualTo(2);
      assertThat(rejected.getReason()).isEqualTo("rejected: unknown app /nope; `kos app list` shows the apps");
      assertThat(bus.serde(Topics.COMMANDS).deserialize(commands, rejected.getValue().array()).getCommandId())
          .as("the dead letter keeps the original bytes").isEqualTo("c2");
    }
  }

  private List<DeadLetter> readDeadLetters(int expected) {
    String topic = bus.topic(Topics.DEAD_LETTERS);
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties("reader", "reader"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (letters.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          letters.add(bus.serde(Topics.DEAD_LETTERS).deserialize(topic, record.value()));
        }
      }
    }
    letters.sort((a, b) -> Long.compare(a.getOffset(), b.getOffset()));
    return letters;
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static Command scale(String id, String app, int instances) {
    return Command.newBuilder().setCommandId(id).setPrincipal("alice").setRole("web").setTimestamp(Instant.now())
        .setPayload(ScaleApp.newBuilder().setAppId(app).setInstances(instances).build()).build();
  }
}
