package dev.kos.bench.placement;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;

/**
 * The bench frameworks' command reader: one consumer of {@code kos.commands} (from the start of the
 * run's fresh topic, keeping no position) for all the frameworks of this JVM, handing each {@code ScaleApp} to the framework its
 * key names. One reader instead of one per framework keeps a hundred idle consumers off two cores;
 * every framework still learns its commands from the bus.
 */
final class CommandRouter implements AutoCloseable {
  static final String THREAD = "framework-bench-commands";

  private final BusConsumerLoop<Command> loop;
  private final BusPublisher deadLetters;
  private final Thread thread;

  private CommandRouter(BusConsumerLoop<Command> loop, BusPublisher deadLetters) {
    this.loop = loop;
    this.deadLetters = deadLetters;
    this.thread = LoopSupervisor.forProcess().start(THREAD, loop);
  }

  static CommandRouter start(ControlBus bus, List<BenchFramework> frameworks, Clock clock) {
    Map<String, BenchFramework> byId = frameworks.stream()
        .collect(Collectors.toMap(BenchFramework::frameworkId, Function.identity()));
    String topic = bus.topic(Topics.COMMANDS);
    List<TopicPartition> partitions = IntStream.range(0, bus.catalog().partitionsOf(Topics.COMMANDS))
        .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
    BusPublisher publisher = new BusPublisher(bus, THREAD);
    BusConsumerLoop<Command> loop = new BusConsumerLoop<>(bus, null, THREAD, Subscription.partitions(partitions, false),
        bus.serde(Topics.COMMANDS)::deserialize, record -> route(record, byId),
        new DeadLetterPublisher(bus, publisher, THREAD, clock::instant));
    return new CommandRouter(loop, publisher);
  }

  private static void route(BusRecord<Command> record, Map<String, BenchFramework> frameworks) {
    BenchFramework framework = frameworks.get(record.key());
    if (framework != null && record.value() != null && record.value().getPayload() instanceof ScaleApp scale) {
      framework.raiseTarget(scale.getInstances(), record.value().getTimestamp().toEpochMilli());
    }
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    thread.join(Duration.ofSeconds(10).toMillis());
    deadLetters.close();
  }
}
