package dev.kos.bus.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A handler's Error ends its loop for the supervisor to hear of; a hand-over ends it quietly. Either way the
 * record is neither dead-lettered nor committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class SupervisedLoopIT {

  private TestBus testBus;
  private ControlBus bus;

  @BeforeEach
  void startBus(@BootstrapServers String bootstrap) {
    testBus = TestBus.start(bootstrap, 1);
    bus = testBus.bus();
  }

  @AfterEach
  void stopBus() {
    testBus.close();
  }

  @Test
  void shouldReportALoopWhoseHandlerThrowsAnErrorAndNeitherDeadLetterNorSkipItsRecord() throws Exception {
    testBus.publish(Topics.COMMANDS, "/web", command("fine"));
    testBus.publish(Topics.COMMANDS, "/web", command("poison"));
    AtomicReference<String> deadLoop = new AtomicReference<>();
    AtomicReference<Throwable> cause = new AtomicReference<>();
    LoopSupervisor supervisor = new LoopSupervisor((loop, failure) -> {
      cause.set(failure);
      deadLoop.set(loop);
    });
    List<String> handled = new CopyOnWriteArrayList<>();
    StackOverflowError error = new StackOverflowError("handler recursed too deep");

    try (BusPublisher dlq = new BusPublisher(bus, "test-dlq")) {
      Thread thread = supervisor.start("supervised-commands", loop(dlq, record -> {
        if (record.value().getCommandId().equals("poison")) {
          throw error;
        }
        handled.add(record.value().getCommandId());
      }));
      thread.join(TestBus.DEADLINE.toMillis());

      assertThat(thread.isAlive()).isFalse();
      assertThat(deadLoop.get()).isEqualTo("supervised-commands");
      assertThat(cause.get()).isSameAs(error);
      assertThat(handled).containsExactly("fine");

      // The same group again: the poison record comes back (not committed), and was never dead-lettered.
      List<String> again = new CopyOnWriteArrayList<>();
      BusConsumerLoop<Command> second = loop(dlq, record -> again.add(record.value().getCommandId()));
      Thread secondThread = supervisor.start("supervised-commands-2", second);
      TestBus.await("the poison record re-delivered", () -> again.contains("poison"));
      second.close();
      secondThread.join(TestBus.DEADLINE.toMillis());
      assertThat(deadLoop.get()).isEqualTo("supervised-commands");
      assertThat(testBus.readCommitted(Topics.DEAD_LETTERS, 0)).isEmpty();
    }
  }

  @Test
  void shouldEndQuietlyOnAHandOverLeavingThatRecordAndTheRestOfItsBatchUncommitted() throws Exception {
    testBus.publish(Topics.COMMANDS, "/web", command("fine"));
    testBus.publish(Topics.COMMANDS, "/web", command("handed-over"));
    testBus.publish(Topics.COMMANDS, "/web", command("after"));
    AtomicReference<Throwable> cause = new AtomicReference<>();
    LoopSupervisor supervisor = new LoopSupervisor((loop, failure) -> cause.set(failure));
    List<String> handled = new CopyOnWriteArrayList<>();

    try (BusPublisher dlq = new BusPublisher(bus, "test-dlq")) {
      Thread thread = supervisor.start("handing-over", loop(dlq, record -> {
        if (record.value().getCommandId().equals("handed-over")) {
          throw new HandOverException("another instance took over");
        }
        handled.add(record.value().getCommandId());
      }));
      thread.join(TestBus.DEADLINE.toMillis());

      assertThat(thread.isAlive()).isFalse();
      assertThat(cause.get()).as("a hand-over is not a death").isNull();
      assertThat(handled).containsExactly("fine");

      List<String> again = new CopyOnWriteArrayList<>();
      BusConsumerLoop<Command> second = loop(dlq, record -> again.add(record.value().getCommandId()));
      Thread secondThread = supervisor.start("taking-over", second);
      TestBus.await("the handed-over records re-delivered", () -> again.contains("after"));
      second.close();
      secondThread.join(TestBus.DEADLINE.toMillis());
      assertThat(again).as("the handled record was committed, the others were not")
          .containsExactly("handed-over", "after");
      assertThat(testBus.readCommitted(Topics.DEAD_LETTERS, 0)).isEmpty();
    }
  }

  private BusConsumerLoop<Command> loop(BusPublisher dlq, BusConsumerLoop.Handler<Command> handler) {
    return new BusConsumerLoop<>(bus, "supervised", "supervised", Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        bus.serde(Topics.COMMANDS)::deserialize, handler, new DeadLetterPublisher(bus, dlq, "supervised", Instant::now));
  }

  private static Command command(String id) {
    return Command.newBuilder().setCommandId(id).setPrincipal("alice").setRole("web").setTimestamp(Instant.now())
        .setPayload(ScaleApp.newBuilder().setAppId("/web").setInstances(1).build()).build();
  }
}
