package dev.kos.allocator.stream;

import dev.kos.allocator.scaling.ScalingSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.Stores;

/**
 * The autoscaler's sub-topology. Decisions need every sample of an app and every agent's load in one
 * place, so all of {@code kos.metrics} is funnelled through a one-partition repartition topic into one
 * stream task, together with the (one-partition, compacted) {@code kos.apps} and {@code kos.kafka-clusters} (a
 * cluster with a scaling policy is tracked as an app whose instances are its brokers):
 *
 * <pre>
 *  kos.metrics (N partitions) ─► origin headers ─► repartition (1 partition) ─┐
 *  kos.apps (1 partition) ─────────────────────────────────────────────────────┤
 *  kos.kafka-clusters (1 partition) ───────────────────────────────────────────┼─► ScalingProcessor ─► by header:
 *                                    stores: scaling-apps, scaling-kafka-clusters ┘  kos.scale-decisions,
 *                                                                                   kos.commands (automatic),
 *                                                                                   kos.dead-letters
 * </pre>
 *
 * Metrics are gauges sampled every few seconds per task, so one task keeps up with thousands of them;
 * the original partition and offset travel in headers so a dead letter still points at the bad record.
 */
final class ScalingTopology {

  static final String APPS_STORE = "scaling-apps";
  static final String KAFKA_CLUSTERS_STORE = "scaling-kafka-clusters";
  static final String DESTINATION_HEADER = "kos-destination";
  static final String ORIGIN_PARTITION_HEADER = "kos-origin-partition";
  static final String ORIGIN_OFFSET_HEADER = "kos-origin-offset";

  private ScalingTopology() {
  }

  static void addTo(StreamsBuilder builder, ControlBus bus, ScalingSettings settings) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPS_STORE), Serdes.String(),
        Serdes.ByteArray()));
    KStream<String, byte[]> metrics = builder
        .stream(bus.topic(Topics.METRICS), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("scaling-metrics"))
        .processValues(OriginHeaders::new, Named.as("scaling-metrics-origin"))
        .repartition(Repartitioned.<String, byte[]>as("scaling-metrics").withKeySerde(Serdes.String())
            .withValueSerde(Serdes.ByteArray()).withNumberOfPartitions(1));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(KAFKA_CLUSTERS_STORE),
        Serdes.String(), Serdes.ByteArray()));
    KStream<String, byte[]> apps = builder
        .stream(bus.topic(Topics.APPS), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("scaling-apps"));
    KStream<String, byte[]> kafkaClusters = builder.stream(bus.topic(Topics.KAFKA_CLUSTERS),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("scaling-kafka-clusters"));
    metrics.merge(apps, Named.as("scaling-inputs")).merge(kafkaClusters, Named.as("scaling-inputs-kafka"))
        .process(() -> new ScalingProcessor(bus, settings), Named.as("scaling"), APPS_STORE, KAFKA_CLUSTERS_STORE)
        .to((key, value, context) -> text(context.headers().lastHeader(DESTINATION_HEADER)),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName("scaling-outputs"));
  }

  static String text(Header header) {
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Stamps each metric with where it came from, before the repartition topic forgets it. */
  private static final class OriginHeaders implements FixedKeyProcessor<String, byte[], byte[]> {
    private FixedKeyProcessorContext<String, byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      context.recordMetadata().ifPresent(origin -> {
        record.headers().remove(ORIGIN_PARTITION_HEADER).remove(ORIGIN_OFFSET_HEADER)
            .add(ORIGIN_PARTITION_HEADER, bytes(origin.partition()))
            .add(ORIGIN_OFFSET_HEADER, bytes(origin.offset()));
      });
      context.forward(record);
    }

    private static byte[] bytes(long value) {
      return Long.toString(value).getBytes(StandardCharsets.UTF_8);
    }
  }
}
