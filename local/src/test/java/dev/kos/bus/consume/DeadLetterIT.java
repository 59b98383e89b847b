package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.ScaleApp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad records on a control topic end in the dead-letter topic with a reason; the consumer goes on. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class DeadLetterIT {

  private TestBus testBus;
  private ControlBus bus;

  @BeforeEach
  void startBus(@BootstrapServers String bootstrap) {
    testBus = TestBus.start(bootstrap, 2);
    bus = testBus.bus();
  }

  @AfterEach
  void stopBus() {
    testBus.close();
  }

  @Test
  void shouldDeadLetterGarbageAndRejectedRecordsAndKeepConsuming() throws Exception {
    String commands = bus.topic(Topics.COMMANDS);
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    testBus.publish(Topics.COMMANDS, "/web", scale("c1", "/web", 3));
    testBus.publishRaw(Topics.COMMANDS, "/web", garbage);
    testBus.publish(Topics.COMMANDS, "/web", scale("c2", "/nope", 1));
    testBus.publish(Topics.COMMANDS, "/web", scale("c3", "/web", 5));

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
      List<DeadLetter> letters = testBus.readCommitted(Topics.DEAD_LETTERS, 2).stream()
          .map(TestBus.Keyed::value).sorted(Comparator.comparingLong(DeadLetter::getOffset)).toList();
      TestBus.await("two handled commands", () -> handled.size() == 2);
      loop.close();
      thread.join(TestBus.DEADLINE.toMillis());

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

  @Test
  void shouldDeadLetterARecordNearTheMessageSizeLimitWithItsPayloadTruncated() throws Exception {
    String commands = bus.topic(Topics.COMMANDS);
    // Just under the producer's max.request.size (1 MiB, 1048576): the topic takes it, but a dead letter carrying it
    // whole, with its reason and origin, would not fit.
    byte[] huge = new byte[1_048_400];
    java.util.Arrays.fill(huge, (byte) 'x');
    testBus.publishRaw(Topics.COMMANDS, "/web", huge);
    testBus.publish(Topics.COMMANDS, "/web", scale("canary", "/web", 1));

    List<String> handled = new CopyOnWriteArrayList<>();
    try (BusPublisher dlq = new BusPublisher(bus, "test-dlq")) {
      BusConsumerLoop<Command> loop = new BusConsumerLoop<>(bus, "test-big", "test-big",
          Subscription.topics(List.of(commands)), bus.serde(Topics.COMMANDS)::deserialize,
          record -> handled.add(record.value().getCommandId()),
          new DeadLetterPublisher(bus, dlq, "test-big", Instant::now));
      Thread thread = new Thread(loop, "consumer-loop-big");
      thread.start();
      try {
        TestBus.await("the canary after the huge record", () -> handled.contains("canary"));
        DeadLetter letter = testBus.readCommitted(Topics.DEAD_LETTERS, 1).get(0).value();

        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getReason()).startsWith("undecodable: ")
            .contains("value truncated to the first " + DeadLetters.MAX_VALUE_BYTES + " of 1048400 bytes");
        assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.MAX_VALUE_BYTES);
        assertThat(new String(letter.getKey().array(), StandardCharsets.UTF_8)).isEqualTo("/web");
      } finally {
        loop.close();
        thread.join(TestBus.DEADLINE.toMillis());
      }
    }
  }

  private static Command scale(String id, String app, int instances) {
    return Command.newBuilder().setCommandId(id).setPrincipal("alice").setRole("web").setTimestamp(Instant.now())
        .setPayload(ScaleApp.newBuilder().setAppId(app).setInstances(instances).build()).build();
  }
}
