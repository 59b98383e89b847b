package dev.kos.allocator.stream;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.CommandTargets;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.Decline;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The allocator topology under {@link TopologyTestDriver}, spoken to in bus records: a test
 * plays agents and frameworks, moves the wall clock, and reads what the allocator published.
 */
final class AllocatorDriver implements AutoCloseable {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final AllocatorSettings SETTINGS =
      new AllocatorSettings(Duration.ofMillis(50), Duration.ofSeconds(20), Duration.ofSeconds(30));

  private final ControlBus bus;
  private final TopologyTestDriver driver;
  private final Map<TopicDef<?>, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
  private final Map<TopicDef<?>, TestOutputTopic<String, byte[]>> outputs = new HashMap<>();
  private final AllocatorSettings settings;
  private Instant now = START;
  private RuntimeException nextClockFailure;
  /** The allocator's clock: the driver's wall clock, moved with it. */
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the allocator reads instants only");
    }

    @Override
    public Instant instant() {
      RuntimeException failure = nextClockFailure;
      if (failure != null) {
        nextClockFailure = null;
        throw failure;
      }
      return now;
    }
  };

  AllocatorDriver(Path stateDir) {
    this(stateDir, SETTINGS);
  }

  /** With other timing, e.g. one-second rounds for tests that watch minutes go by. */
  AllocatorDriver(Path stateDir, AllocatorSettings settings) {
    this.settings = settings;
    this.bus = new ControlBus(new BusSettings("unused:9092", "mem://", TopicCatalog.defaults()),
        new InMemorySchemaRegistry());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "allocator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    this.driver = new TopologyTestDriver(AllocatorTopology.build(bus, settings, clock), props, START);
    for (TopicDef<?> topic : List.of(Topics.AGENTS, Topics.ACCEPTS, Topics.TASK_STATUS, Topics.FRAMEWORKS, Topics.ROLES,
        Topics.COMMANDS, Topics.METRICS, Topics.APPS, Topics.KAFKA_CLUSTERS, Topics.ALLOCATOR_SHARDS)) {
      inputs.put(topic, driver.createInputTopic(bus.topic(topic), new StringSerializer(), new ByteArraySerializer()));
    }
    for (TopicDef<?> topic : List.of(Topics.OFFERS, Topics.PLACEMENTS, Topics.TASK_STATUS, Topics.TASKS, Topics.DEAD_LETTERS,
        Topics.COMMAND_RESULTS, Topics.STATUS, Topics.SCALE_DECISIONS, Topics.COMMANDS, Topics.METRICS,
        Topics.ALLOCATOR_SHARDS, Topics.ROLES, Topics.FRAMEWORKS)) {
      outputs.put(topic, driver.createOutputTopic(bus.topic(topic), new StringDeserializer(), new ByteArrayDeserializer()));
    }
  }

  <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value) {
    inputs.get(topic).pipeInput(key, value == null ? null : bus.serde(topic).serialize(bus.topic(topic), value), now);
  }

  /** A record as the allocator itself publishes it, with its headers. */
  <V extends SpecificRecord> void publish(TopicDef<V> topic, String key, V value, org.apache.kafka.common.header.Headers headers) {
    inputs.get(topic).pipeInput(new org.apache.kafka.streams.test.TestRecord<>(key,
        bus.serde(topic).serialize(bus.topic(topic), value), headers, now));
  }

  void publishRaw(TopicDef<?> topic, String key, byte[] value) {
    inputs.get(topic).pipeInput(key, value, now);
  }

  /** Moves the wall clock, firing every allocation round on the way. */
  void advance(Duration duration) {
    Instant end = now.plus(duration);
    while (now.isBefore(end)) {
      Duration step = Duration.ofMillis(Math.min(settings.roundInterval().toMillis(), Duration.between(now, end).toMillis()));
      now = now.plus(step);
      driver.advanceWallClockTime(step);
    }
  }

  /** Moves the wall clock in one step, as when the process was frozen: one round fires, at the end. */
  void jump(Duration duration) {
    now = now.plus(duration);
    driver.advanceWallClockTime(duration);
  }

  <V extends SpecificRecord> List<Keyed<V>> read(TopicDef<V> topic) {
    return outputs.get(topic).readKeyValuesToList().stream()
        .map(kv -> new Keyed<>(kv.key, bus.serde(topic).deserialize(bus.topic(topic), kv.value))).toList();
  }

  List<Offer> offers() {
    return read(Topics.OFFERS).stream().map(Keyed::value).map(OfferEvent::getPayload)
        .filter(Offer.class::isInstance).map(Offer.class::cast).toList();
  }

  List<OfferRescinded> rescinds(List<Keyed<OfferEvent>> events) {
    return events.stream().map(Keyed::value).map(OfferEvent::getPayload)
        .filter(OfferRescinded.class::isInstance).map(OfferRescinded.class::cast).toList();
  }

  void agent(String agentId, double cpus, double mem) {
    publish(Topics.AGENTS, agentId, AgentReport.newBuilder().setAgentId(agentId).setHostname(agentId)
        .setTotal(resources(cpus, mem)).setUsed(resources(0, 0)).setHeartbeatTime(now).setStartedAt(START).build());
  }

  void framework(String frameworkId, String role) {
    publish(Topics.FRAMEWORKS, frameworkId, FrameworkInfo.newBuilder().setFrameworkId(frameworkId).setName(frameworkId)
        .setRole(role).setRegisteredAt(now).build());
  }

  /** A framework instance's registration at {@code epoch} (decision 0012). */
  void framework(String frameworkId, String role, long epoch) {
    publish(Topics.FRAMEWORKS, frameworkId, FrameworkInfo.newBuilder().setFrameworkId(frameworkId).setName(frameworkId)
        .setRole(role).setRegisteredAt(now).setEpoch(epoch).build());
  }

  void launch(Offer offer, String taskId, double cpus, double mem) {
    launch(offer, taskId, cpus, mem, 0);
  }

  /** A launch from the framework instance of {@code epoch}. */
  void launch(Offer offer, String taskId, double cpus, double mem, long epoch) {
    Accept accept = Accept.newBuilder().setOfferIds(List.of(offer.getOfferId())).setFrameworkId(offer.getFrameworkId())
        .setAgentId(offer.getAgentId()).setTimestamp(now).setFrameworkEpoch(epoch)
        .setOperations(List.of(LaunchOperation.newBuilder().setTasks(List.of(task(taskId, offer.getFrameworkId(), cpus, mem))).build()))
        .build();
    publish(Topics.ACCEPTS, offer.getAgentId(), AcceptEvent.newBuilder().setPayload(accept).build());
  }

  void decline(Offer offer, double refuseSeconds) {
    publish(Topics.ACCEPTS, offer.getAgentId(), AcceptEvent.newBuilder().setPayload(Decline.newBuilder()
        .setOfferIds(List.of(offer.getOfferId())).setFrameworkId(offer.getFrameworkId()).setAgentId(offer.getAgentId())
        .setRefuseSeconds(refuseSeconds).setTimestamp(now).build()).build());
  }

  void status(String agentId, String frameworkId, String taskId, TaskState state) {
    publish(Topics.TASK_STATUS, agentId, TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(frameworkId)
        .setAgentId(agentId).setState(state).setTimestamp(now).build());
  }

  /** An operator's command, keyed as the catalogue says (a drain by its agent). */
  void command(String commandId, Object payload) {
    command(commandId, "ops", payload);
  }

  /** A command from {@code principal}. */
  void command(String commandId, String principal, Object payload) {
    Command command = Command.newBuilder().setCommandId(commandId).setPrincipal(principal).setTimestamp(now)
        .setPayload(payload).build();
    publish(Topics.COMMANDS, CommandTargets.targetOf(command), command);
  }

  Instant now() {
    return now;
  }

  /** Puts raw bytes into one of the allocator's state stores, as a store the shard restores from could hold. */
  void putStored(String store, String key, byte[] value) {
    driver.<String, byte[]>getKeyValueStore(store).put(key, value);
  }

  /** What one of the allocator's state stores holds under a key, or null. */
  byte[] stored(String store, String key) {
    return driver.<String, byte[]>getKeyValueStore(store).get(key);
  }

  /** An agent report's bytes as the allocator keeps them in its agents store. */
  byte[] agentReportBytes(String agentId, double cpus, double mem) {
    return bus.serde(Topics.AGENTS).serialize(bus.topic(Topics.AGENTS), AgentReport.newBuilder().setAgentId(agentId)
        .setHostname(agentId).setTotal(resources(cpus, mem)).setUsed(resources(0, 0)).setHeartbeatTime(now)
        .setStartedAt(START).build());
  }

  /** The allocator's next reading of its clock fails, standing for any failure inside what reads it then. */
  void failNextClockReading(RuntimeException failure) {
    nextClockFailure = failure;
  }

  static TaskInfo task(String taskId, String frameworkId, double cpus, double mem) {
    return TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setFrameworkId(frameworkId)
        .setCommand(CommandInfo.newBuilder().setShell("sleep 60").build()).setResources(resources(cpus, mem)).build();
  }

  static Resources resources(double cpus, double mem) {
    return Resources.newBuilder().setCpus(cpus).setMem(mem).build();
  }

  @Override
  public void close() {
    driver.close();
  }

  record Keyed<V>(String key, V value) {
  }
}
