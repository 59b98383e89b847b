package dev.kos.chaos.history;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.chaos.history.History.AppInstance;
import dev.kos.chaos.history.History.Capacity;
import dev.kos.chaos.history.History.DeadLetterEntry;
import dev.kos.chaos.history.History.Injection;
import dev.kos.chaos.history.History.Launch;
import dev.kos.chaos.history.History.Status;
import dev.kos.schema.AgentReport;
import dev.kos.schema.AppState;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.InstanceSnapshot;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.PortRange;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a bus's committed records (read_committed, to the end offsets of the moment) into the
 * values of a {@link History}. Records that cannot be decoded are skipped, and the case's own
 * injected records are never decoded at all: the checker must survive the poison it tests.
 */
public final class HistoryReader {

  private final ControlBus bus;
  private final Set<String> injected;
  private final Set<String> undecodable = new HashSet<>();

  public HistoryReader(ControlBus bus, List<Injection> injections) {
    this.bus = bus;
    this.injected = injections.stream().map(i -> i.topic() + "/" + i.partition() + "@" + i.offset())
        .collect(Collectors.toSet());
  }

  /** The records part of a history: launches, statuses, agents, tasks, apps and dead letters. */
  public History read(History base) {
    List<Launch> launches = new ArrayList<>();
    each(Topics.PLACEMENTS, (at, key, event) -> {
      if (event.getPayload() instanceof LaunchTask launch) {
        launches.add(new Launch(at, launch.getTask().getTaskId(), launch.getAgentId(), launch.getTask().getAppId(),
            capacity(launch.getTask().getResources()), ports(launch.getTask().getResources())));
      }
    });
    List<Status> statuses = new ArrayList<>();
    each(Topics.TASK_STATUS, (at, key, status) -> statuses.add(
        new Status(at, status.getTaskId(), status.getAgentId(), status.getState().name(),
            status.getMessage() == null ? "" : status.getMessage())));
    Map<String, Capacity> totals = new HashMap<>();
    each(Topics.AGENTS, (at, key, report) -> totals.put(report.getAgentId(), capacity(report.getTotal())));
    Map<String, String> tasks = new HashMap<>();
    Set<String> deletedTasks = new HashSet<>();
    eachWithTombstones(Topics.TASKS, (key, status) -> {
      if (status == null) {
        tasks.remove(key);
        deletedTasks.add(key);
      } else {
        tasks.put(status.getTaskId(), status.getState().name());
      }
    });
    Map<String, AppState> apps = new HashMap<>();
    eachWithTombstones(Topics.APPS, (key, state) -> {
      if (state == null) {
        apps.remove(key);
      } else {
        apps.put(state.getAppId(), state);
      }
    });
    List<AppInstance> instances = new ArrayList<>();
    apps.values().stream().filter(app -> !app.getRemoved()).forEach(app -> {
      for (InstanceSnapshot instance : app.getInstances()) {
        instances.add(new AppInstance(app.getAppId(), instance.getInstanceId() + "." + instance.getAttempt(),
            instance.getState()));
      }
    });
    List<DeadLetterEntry> deadLetters = new ArrayList<>();
    each(Topics.DEAD_LETTERS, (at, key, letter) -> deadLetters.add(new DeadLetterEntry(letter.getTopic(),
        letter.getPartition(), letter.getOffset(), letter.getKey() == null ? null
            : java.nio.charset.StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString(),
        letter.getConsumer(), letter.getReason())));
    return base.withLaunches(launches).withStatuses(statuses).withAgentTotals(totals).withTasks(tasks)
        .withInstances(instances).withDeadLetters(deadLetters).withEndedAt(System.currentTimeMillis());
  }

  /**
   * The LaunchTasks written in transactions that were aborted (a fenced zombie's, or a crashed
   * allocator's): on kos.placements read uncommitted, less those read committed. No consumer of kos
   * ever sees them; the count says a case's fault did hit an allocator with launches in flight.
   */
  public long abortedLaunches() {
    Map<String, Long> written = launchesPerTask("read_uncommitted");
    Map<String, Long> committed = launchesPerTask("read_committed");
    return written.entrySet().stream().mapToLong(e -> e.getValue() - committed.getOrDefault(e.getKey(), 0L)).sum();
  }

  private Map<String, Long> launchesPerTask(String isolation) {
    Map<String, Long> launches = new HashMap<>();
    raw(Topics.PLACEMENTS, isolation, record -> {
      var event = decode(Topics.PLACEMENTS, record);
      if (event != null && event.getPayload() instanceof LaunchTask launch) {
        launches.merge(launch.getTask().getTaskId(), 1L, Long::sum);
      }
    });
    return launches;
  }

  /** The committed answers on kos.command-results, by command id. */
  public Map<String, CommandResult> commandResults() {
    Map<String, CommandResult> results = new HashMap<>();
    each(Topics.COMMAND_RESULTS, (at, key, result) -> results.put(result.getCommandId(), result));
    return results;
  }

  /** The agents' latest reports. */
  public Map<String, AgentReport> agents() {
    Map<String, AgentReport> reports = new HashMap<>();
    each(Topics.AGENTS, (at, key, report) -> reports.put(report.getAgentId(), report));
    return reports;
  }

  interface RecordHandler<V> {
    void on(long at, String key, V value);
  }

  interface TombstoneHandler<V> {
    void on(String key, V valueOrNull);
  }

  private <V extends SpecificRecord> void each(TopicDef<V> topic, RecordHandler<V> handler) {
    raw(topic, record -> {
      V value = decode(topic, record);
      if (value != null) {
        handler.on(record.timestamp(), key(record), value);
      }
    });
  }

  private <V extends SpecificRecord> void eachWithTombstones(TopicDef<V> topic, TombstoneHandler<V> handler) {
    raw(topic, record -> {
      if (record.value() == null) {
        handler.on(key(record), null);
        return;
      }
      V value = decode(topic, record);
      if (value != null) {
        handler.on(key(record), value);
      }
    });
  }

  private <V extends SpecificRecord> V decode(TopicDef<V> topic, ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null || injected.contains(record.topic() + "/" + record.partition() + "@" + record.offset())) {
      return null;
    }
    try {
      return bus.serde(topic).deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      if (undecodable.add(record.topic())) {
        System.out.println("chaos: a record on " + record.topic() + " at " + record.partition() + "@" + record.offset()
            + " could not be decoded, skipped (further ones on that topic silently): " + e);
      }
      return null;
    }
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every committed record of a topic up to the end offsets taken now (the last stable offsets). */
  private void raw(TopicDef<?> topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    raw(topic, "read_committed", handler);
  }

  /** As above at the isolation level given; read_uncommitted reads to the high watermark, aborted records included. */
  private void raw(TopicDef<?> topic, String isolation, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    String name = bus.topic(topic);
    Properties props = bus.consumerProperties(null, "chaos-history-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(name, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + name + " to its end " + end + " in 60 s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handler.accept(record);
        }
      }
    }
  }

  private static Capacity capacity(Resources resources) {
    return resources == null ? new Capacity(0, 0, 0)
        : new Capacity(resources.getCpus(), resources.getMem(), resources.getDisk());
  }

  private static List<Integer> ports(Resources resources) {
    List<Integer> ports = new ArrayList<>();
    if (resources != null) {
      for (PortRange range : resources.getPorts()) {
        for (int port = range.getBegin(); port <= range.getEnd(); port++) {
          ports.add(port);
        }
      }
    }
    return ports;
  }
}
