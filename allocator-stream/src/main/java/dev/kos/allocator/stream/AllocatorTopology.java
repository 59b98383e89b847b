package dev.kos.allocator.stream;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The allocator's topology, kept apart from any process so tests can drive it:
 *
 * <pre>
 *  kos.agents ─┐                    ┌─► kos.offers        (Offer / OfferRescinded, by framework)
 *  kos.accepts ┼─► AllocatorProcessor├─► kos.placements    (LaunchTask, volumes, KillTask, by agent)
 *  kos.task-status┤  stores: agents, ├─► kos.task-status   (DROPPED, LOST, by agent)
 *  kos.commands┘  tasks, offers,     ├─► kos.tasks         (latest status, by task)
 *   (drain)       draining, watch    ├─► kos.command-results, kos.status (drains)
 *  global: kos.frameworks, kos.roles ├─► kos.metrics       (agent loads, for the autoscaler)
 *   kos.allocator-shards             ├─► kos.allocator-shards (this shard's summary)
 *                                    └─► kos.dead-letters
 * </pre>
 *
 * The four inputs are keyed by agent id (drain commands by the agent they drain) and
 * co-partitioned, so one stream task owns a shard of agents with everything that concerns them. The shards
 * share the cluster through their summaries on {@code kos.allocator-shards} (see {@link ShardExchange}).
 * The autoscaler is a second sub-topology, see {@link ScalingTopology}.
 */
public final class AllocatorTopology {

  static final String AGENTS_STORE = "allocator-agents";
  static final String TASKS_STORE = "allocator-tasks";
  static final String OFFERS_STORE = "allocator-offers";
  static final String FRAMEWORKS_STORE = "allocator-frameworks";
  static final String ROLES_STORE = "allocator-roles";
  static final String DRAINING_STORE = "allocator-draining";
  static final String WATCH_STORE = "allocator-task-watch";
  static final String SHARDS_STORE = "allocator-shards";

  private static final String SOURCE = "inputs";
  private static final String PROCESSOR = "allocator";
  private static final List<TopicDef<?>> OUTPUTS =
      List.of(Topics.OFFERS, Topics.PLACEMENTS, Topics.TASK_STATUS, Topics.TASKS, Topics.DEAD_LETTERS,
          Topics.COMMAND_RESULTS, Topics.STATUS, Topics.METRICS, Topics.ALLOCATOR_SHARDS, Topics.ROLES,
          Topics.FRAMEWORKS);

  private AllocatorTopology() {
  }

  public static Topology build(ControlBus bus, AllocatorSettings settings) {
    return build(bus, settings, Clock.systemUTC());
  }

  /** With the allocator's clock given, e.g. one a test moves. */
  public static Topology build(ControlBus bus, AllocatorSettings settings, Clock clock) {
    StreamsBuilder scaling = new StreamsBuilder();
    ScalingTopology.addTo(scaling, bus, settings.scaling());
    Topology topology = scaling.build();
    topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
        bus.topic(Topics.AGENTS), bus.topic(Topics.ACCEPTS), bus.topic(Topics.TASK_STATUS), bus.topic(Topics.COMMANDS));
    topology.addProcessor(PROCESSOR, () -> new AllocatorProcessor(bus, settings, clock), SOURCE);
    for (String store : List.of(AGENTS_STORE, TASKS_STORE, OFFERS_STORE, DRAINING_STORE, WATCH_STORE)) {
      topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
          Serdes.String(), Serdes.ByteArray()), PROCESSOR);
    }
    addGlobalTable(topology, bus.topic(Topics.FRAMEWORKS), FRAMEWORKS_STORE);
    addGlobalTable(topology, bus.topic(Topics.ROLES), ROLES_STORE);
    // In memory, so every start applies the summaries' log from its beginning through the ledger.
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SHARDS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        SHARDS_STORE + "-source", new StringDeserializer(), new ByteArrayDeserializer(),
        bus.topic(Topics.ALLOCATOR_SHARDS), SHARDS_STORE + "-loader", () -> new ShardSummaries.Loader(bus, SHARDS_STORE));
    for (TopicDef<?> output : OUTPUTS) {
      topology.addSink(sinkFor(output), bus.topic(output), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
    }
    return topology;
  }

  static String sinkFor(TopicDef<?> topic) {
    return "to-" + topic.suffix();
  }

  /**
   * A compacted topic read into every instance as raw bytes; the processor decodes what
   * changed, so a bad record costs a warning instead of stopping the global thread.
   */
  private static void addGlobalTable(Topology topology, String topic, String store) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        store + "-source", new StringDeserializer(), new ByteArrayDeserializer(), topic, store + "-loader",
        () -> new GlobalTableLoader(store));
  }

  /** Keeps a global store equal to its topic: last value per key, tombstones delete. */
  private static final class GlobalTableLoader implements Processor<String, byte[], Void, Void> {
    private final String storeName;
    private KeyValueStore<String, byte[]> store;

    GlobalTableLoader(String storeName) {
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      if (record.key() == null) {
        return;
      }
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }

  /** Streams settings the allocator needs whatever the deployment. */
  public static Map<String, Object> requiredStreamsConfig() {
    return Map.of(
        "processing.guarantee", "exactly_once_v2",
        "commit.interval.ms", 100);
  }
}
