package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker frozen (SIGSTOP) for 25 s while a consumer loop commits and a producer produces: the loop
 * must outlive the outage and every record produced must be handled. The loop's consumer gets a
 * 10 s default.api.timeout.ms, so its commit times out inside the freeze as a 60 s one would in a
 * longer outage; the producer keeps kos's own settings.
 */
@Timeout(150)
class BusOutageIT {

  private static final Duration FREEZE = Duration.ofSeconds(25);

  @Test
  void shouldKeepConsumingAndProducingThroughAFrozenBroker() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaSettings.defaults());
        TestBus testBus = TestBus.start(broker.bootstrapServers(), 2)) {
      ControlBus bus = testBus.bus();
      ControlBus impatient = new ControlBus(bus.settings().withClientConfig(Map.of("default.api.timeout.ms", "10000")),
          bus.registry());
      Set<String> handled = ConcurrentHashMap.newKeySet();
      CountDownLatch inHandler = new CountDownLatch(1);
      CountDownLatch frozen = new CountDownLatch(1);
      AtomicReference<Throwable> died = new AtomicReference<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      try (BusPublisher publisher = new BusPublisher(bus, "outage-producer");
          BusPublisher dlq = new BusPublisher(bus, "outage-dlq")) {
        BusConsumerLoop<Command> loop = new BusConsumerLoop<>(impatient, "outage", "outage",
            Subscription.topics(List.of(bus.topic(Topics.COMMANDS))), bus.serde(Topics.COMMANDS)::deserialize,
            record -> {
              String id = record.value().getCommandId();
              if (id.equals("freeze-here")) {
                // The broker stops while this record is in hand: its commit meets the outage.
                inHandler.countDown();
                await(frozen);
              }
              handled.add(id);
            },
            new DeadLetterPublisher(bus, dlq, "outage", Instant::now));
        Thread thread = new LoopSupervisor((name, cause) -> died.set(cause)).start("outage-loop", loop);
        try {
          for (int i = 0; i < 20; i++) {
            send(publisher, "before-" + i, ids, sent);
          }
          send(publisher, "freeze-here", ids, sent);
          assertThat(inHandler.await(60, TimeUnit.SECONDS)).as("the loop reached the marker record").isTrue();
          signal("STOP", broker.pid());
          long thawAt = System.nanoTime() + FREEZE.toNanos();
          try {
            frozen.countDown();
            for (int i = 0; System.nanoTime() < thawAt; i++) {
              send(publisher, "during-" + i, ids, sent);
              Thread.sleep(500);
            }
          } finally {
            signal("CONT", broker.pid());
          }
          for (int i = 0; i < 20; i++) {
            send(publisher, "after-" + i, ids, sent);
          }
          for (Future<RecordMetadata> future : sent) {
            future.get(60, TimeUnit.SECONDS);
          }
          TestBus.await("every record produced handled", () -> handled.containsAll(ids) || died.get() != null);

          assertThat(died.get()).as("the loop died").isNull();
          assertThat(thread.isAlive()).isTrue();
          assertThat(handled).containsAll(ids);
        } finally {
          loop.close();
          thread.join(TestBus.DEADLINE.toMillis());
        }
      }
    }
  }

  private static void send(BusPublisher publisher, String id, List<String> ids, List<Future<RecordMetadata>> sent) {
    Command command = Command.newBuilder().setCommandId(id).setPrincipal("alice").setRole("web")
        .setTimestamp(Instant.now()).setPayload(ScaleApp.newBuilder().setAppId("/web").setInstances(1).build()).build();
    ids.add(id);
    sent.add(publisher.publish(Topics.COMMANDS, "/web", command));
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    assertThat(exit).as("kill -" + signal + " " + pid).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
