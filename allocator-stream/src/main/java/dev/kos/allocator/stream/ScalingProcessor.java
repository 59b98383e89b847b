package dev.kos.allocator.stream;

import dev.kos.allocator.scaling.Autoscaler;
import dev.kos.allocator.scaling.Decision;
import dev.kos.allocator.scaling.ScalableApp;
import dev.kos.allocator.scaling.ScalingSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.model.ScaleMode;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.MetricSample;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.ScaleApp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler's shell: feeds apps (latest {@code AppState} each), task and service samples and the
 * allocator's agent loads to the pure {@link Autoscaler}, and every scaling interval (wall clock) publishes
 * its decisions on {@code kos.scale-decisions}. A decision in AUTOMATIC mode is also published as a
 * {@code ScaleApp} command under the principal {@value #PRINCIPAL}; the apps framework authorizes and
 * answers it like any other. Apps survive a restart in a store; samples are gauges and are simply awaited
 * again, and so are the windows: a restarted autoscaler decides nothing until it has watched them anew.
 */
final class ScalingProcessor implements Processor<String, byte[], String, byte[]> {

  static final String PRINCIPAL = "autoscaler";
  private static final Logger log = LoggerFactory.getLogger(ScalingProcessor.class);

  private final ControlBus bus;
  private final ScalingSettings settings;
  private final Autoscaler autoscaler;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> apps;
  private KeyValueStore<String, byte[]> kafkaClusters;
  /** Kafka clusters with a policy, by name: the autoscaler tracks them as apps whose instances are brokers. */
  private final Map<String, KafkaClusterState> scaledClusters = new HashMap<>();
  private boolean restored;

  ScalingProcessor(ControlBus bus, ScalingSettings settings) {
    this.bus = bus;
    this.settings = settings;
    this.autoscaler = new Autoscaler(settings);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    apps = context.getStateStore(ScalingTopology.APPS_STORE);
    kafkaClusters = context.getStateStore(ScalingTopology.KAFKA_CLUSTERS_STORE);
    context.schedule(settings.interval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    restoreOnce();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    boolean isApp = source.topic().equals(bus.topic(Topics.APPS));
    boolean isKafkaCluster = source.topic().equals(bus.topic(Topics.KAFKA_CLUSTERS));
    try {
      if (isApp) {
        onApp(record);
      } else if (isKafkaCluster) {
        onKafkaCluster(record);
      } else {
        onMetric(decode(Topics.METRICS, record.value()));
      }
    } catch (MalformedRecordException e) {
      deadLetter(record, source, isApp || isKafkaCluster, "undecodable: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      deadLetter(record, source, isApp || isKafkaCluster, "rejected: " + e.getMessage());
    }
  }

  /** Rebuilds the apps from the store once per (re)start, before the first record or tick. */
  private void restoreOnce() {
    if (restored) {
      return;
    }
    restored = true;
    try (KeyValueIterator<String, byte[]> it = apps.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        try {
          autoscaler.appUpdated(ScalingAvro.app(decode(Topics.APPS, entry.value)));
        } catch (MalformedRecordException | IllegalArgumentException e) {
          log.warn("not scaling app {}: its stored state no longer reads: {}", entry.key, e.getMessage());
        }
      }
    }
    try (KeyValueIterator<String, byte[]> it = kafkaClusters.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        try {
          track(decode(Topics.KAFKA_CLUSTERS, entry.value));
        } catch (MalformedRecordException | IllegalArgumentException e) {
          log.warn("not scaling kafka cluster {}: its stored state no longer reads: {}", entry.key, e.getMessage());
        }
      }
    }
  }

  /** A kafka cluster's state: tracked while it has a policy (only those are stored), forgotten otherwise. */
  private void onKafkaCluster(Record<String, byte[]> record) {
    KafkaClusterState state = record.value() == null ? null : decode(Topics.KAFKA_CLUSTERS, record.value());
    if (state == null || state.getScalingPolicy() == null) {
      if (scaledClusters.remove(record.key()) != null) {
        autoscaler.appRemoved(record.key());
        kafkaClusters.delete(record.key());
      }
      return;
    }
    track(state);
    kafkaClusters.put(state.getName(), record.value());
  }

  private void track(KafkaClusterState state) {
    ScalableApp cluster = ScalingAvro.cluster(state).orElseThrow();
    autoscaler.appUpdated(cluster);
    scaledClusters.put(state.getName(), state);
  }

  private void onApp(Record<String, byte[]> record) {
    if (record.value() == null) {
      autoscaler.appRemoved(record.key());
      apps.delete(record.key());
      return;
    }
    AppState state = decode(Topics.APPS, record.value());
    if (state.getRemoved()) {
      autoscaler.appRemoved(state.getAppId());
      apps.delete(state.getAppId());
      return;
    }
    ScalableApp app = ScalingAvro.app(state);
    autoscaler.appUpdated(app);
    apps.put(state.getAppId(), record.value());
  }

  private void onMetric(MetricSample sample) {
    if (sample == null) {
      throw new IllegalArgumentException("a metric record without a value; kos.metrics holds MetricSample records only");
    }
    if (AgentLoadSamples.isAgentSample(sample)) {
      AgentLoadSamples.load(sample).ifPresentOrElse(
          load -> autoscaler.agentReported(load, sample.getTimestamp()),
          () -> autoscaler.agentGone(AgentLoadSamples.agentOf(sample)));
    } else {
      ScalingAvro.sample(sample).ifPresent(autoscaler::sampled);
    }
  }

  private void tick(long timestamp) {
    restoreOnce();
    Instant now = Instant.ofEpochMilli(timestamp);
    for (Decision decision : autoscaler.tick(now)) {
      log.info("{} {}: {}", decision.mode(), decision.target(), decision.reason());
      send(Topics.SCALE_DECISIONS, decision.target(), ScalingAvro.avro(decision));
      if (decision.mode() == ScaleMode.AUTOMATIC && scaledClusters.containsKey(decision.target())) {
        kafkaCommand(scaledClusters.get(decision.target()), decision, timestamp);
      } else if (decision.mode() == ScaleMode.AUTOMATIC && decision.kind() == Decision.Kind.SERVICE) {
        String role = autoscaler.app(decision.target()).map(ScalableApp::role).orElse("*");
        send(Topics.COMMANDS, decision.target(), Command.newBuilder()
            .setCommandId("autoscale-" + decision.target() + "-" + timestamp).setPrincipal(PRINCIPAL).setRole(role)
            .setTimestamp(now).setPayload(ScaleApp.newBuilder().setAppId(decision.target())
                .setInstances(decision.to()).build()).build());
      }
    }
  }

  /**
   * An automatic decision on a kafka cluster, as the kafka framework's own command: add the brokers it asks for, or
   * remove one (the framework drains brokers one at a time, so a cluster's policy steps down by 1).
   */
  private void kafkaCommand(KafkaClusterState cluster, Decision decision, long timestamp) {
    Object payload;
    if (decision.to() > decision.from()) {
      payload = new AddKafkaBrokers(cluster.getName(), decision.to() - decision.from(), decision.from());
    } else {
      var removable = ScalingAvro.removableBroker(cluster);
      if (removable.isEmpty()) {
        log.warn("{} should shrink to {} brokers, but every broker left is a controller or leaving already",
            cluster.getName(), decision.to());
        return;
      }
      payload = new RemoveKafkaBroker(cluster.getName(), removable.getAsInt(), decision.from());
    }
    send(Topics.COMMANDS, cluster.getName(), Command.newBuilder()
        .setCommandId("autoscale-kafka-" + cluster.getName() + "-" + timestamp).setPrincipal(PRINCIPAL).setRole("*")
        .setTimestamp(Instant.ofEpochMilli(timestamp)).setPayload(payload).build());
  }

  private <V extends SpecificRecord> V decode(TopicDef<V> topic, byte[] value) {
    return bus.serde(topic).deserialize(bus.topic(topic), value);
  }

  private <V extends SpecificRecord> void send(TopicDef<V> topic, String key, V value) {
    String name = bus.topic(topic);
    RecordHeaders headers = new RecordHeaders();
    headers.add(ScalingTopology.DESTINATION_HEADER, name.getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<>(key, bus.serde(topic).serialize(name, value), context.currentSystemTimeMs(), headers));
  }

  /** A metric came through the repartition topic: its origin is in the headers. */
  private void deadLetter(Record<String, byte[]> record, RecordMetadata source, boolean isApp, String reason) {
    String topic = isApp ? source.topic() : bus.topic(Topics.METRICS);
    int partition = isApp ? source.partition() : (int) origin(record, ScalingTopology.ORIGIN_PARTITION_HEADER);
    long offset = isApp ? source.offset() : origin(record, ScalingTopology.ORIGIN_OFFSET_HEADER);
    log.warn("dead-lettering {}-{}@{}: {}", topic, partition, offset, reason);
    send(Topics.DEAD_LETTERS, record.key(), DeadLetter.newBuilder().setTopic(topic).setPartition(partition)
        .setOffset(offset)
        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setReason(reason).setConsumer(PRINCIPAL).setTimestamp(Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .build());
  }

  private static long origin(Record<String, byte[]> record, String header) {
    String text = ScalingTopology.text(record.headers().lastHeader(header));
    return text == null ? -1 : Long.parseLong(text);
  }
}
