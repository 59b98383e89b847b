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
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleApp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    context.schedule(settings.interval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    restoreOnce();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    boolean isApp = source.topic().equals(bus.topic(Topics.APPS));
    try {
      if (isApp) {
        onApp(record);
      } else {
        onMetric(decode(Topics.METRICS, record.value()));
      }
    } catch (MalformedRecordException e) {
      deadLetter(record, source, isApp, "undecodable: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      deadLetter(record, source, isApp, "rejected: " + e.getMessage());
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
      if (decision.mode() == ScaleMode.AUTOMATIC && decision.kind() == Decision.Kind.SERVICE) {
        String role = autoscaler.app(decision.target()).map(ScalableApp::role).orElse("*");
        send(Topics.COMMANDS, decision.target(), Command.newBuilder()
            .setCommandId("autoscale-" + decision.target() + "-" + timestamp).setPrincipal(PRINCIPAL).setRole(role)
            .setTimestamp(now).setPayload(ScaleApp.newBuilder().setAppId(decision.target())
                .setInstances(decision.to()).build()).build());
      }
    }
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
