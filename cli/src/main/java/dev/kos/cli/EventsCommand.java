package dev.kos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.json.AvroToJson;
import dev.kos.bus.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos events}: read bus records as readable lines or JSON. */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {
        "Print records from kos topics as they arrive (like `tail -f`).",
        "With --from-beginning and without --follow it prints what is there and exits;",
        "--max N stops after N records in any mode. Records that do not decode are shown",
        "with the reason and skipped."})
public final class EventsCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic (name or suffix), repeatable (default: every kos topic)")
  List<String> topics = new ArrayList<>();

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only")
  boolean fromBeginning;

  @Option(names = "--follow", description = "Keep waiting for new records after the history (implied without --from-beginning)")
  boolean follow;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records")
  Long max;

  @Option(names = "--json", description = "One JSON object per record: topic, partition, offset, key, timestamp, type, value")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ControlBus controlBus = bus.connect();
    Map<String, TopicDef<?>> byName = resolveTopics(controlBus);
    PrintWriter out = spec.commandLine().getOut();
    boolean stopAtEnd = fromBeginning && !follow;
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        controlBus.consumerProperties(null, "kos-events"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitionsOf(consumer, byName.keySet());
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (max == null || printed < max) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          print(out, controlBus, byName.get(record.topic()), record);
          if (max != null && ++printed >= max) {
            break;
          }
        }
        if (stopAtEnd && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
          break;
        }
      }
    }
    out.flush();
    return 0;
  }

  private Map<String, TopicDef<?>> resolveTopics(ControlBus controlBus) {
    Map<String, TopicDef<?>> byName = new HashMap<>();
    if (topics.isEmpty()) {
      controlBus.catalog().topics().forEach(t -> byName.put(controlBus.topic(t), t));
    }
    for (String name : topics) {
      TopicDef<?> topic = controlBus.catalog().find(name)
          .orElseThrow(() -> new UsageProblem("unknown topic '" + name + "'; `kos topics` lists them"));
      byName.put(controlBus.topic(topic), topic);
    }
    return byName;
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, Iterable<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new UsageProblem("topic " + topic + " does not exist on the cluster; `kos up` creates the kos topics");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    return partitions;
  }

  private void print(PrintWriter out, ControlBus controlBus, TopicDef<?> topic, ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    String when = Instant.ofEpochMilli(record.timestamp()).toString();
    ObjectNode value;
    String type;
    try {
      SpecificRecord decoded = record.value() == null ? null : controlBus.serde(topic).deserialize(record.topic(), record.value());
      value = decoded == null ? null : AvroToJson.toJson(decoded);
      type = decoded == null ? "tombstone" : decoded.getSchema().getName();
    } catch (MalformedRecordException e) {
      value = null;
      type = "undecodable: " + e.getMessage();
    }
    if (json) {
      ObjectNode line = JSON.createObjectNode()
          .put("topic", record.topic()).put("partition", record.partition()).put("offset", record.offset())
          .put("key", key).put("timestamp", when).put("type", type);
      line.set("value", value);
      out.println(line);
    } else {
      out.printf("%s  %s[%d]@%d  key=%s  %s %s%n", when, record.topic(), record.partition(), record.offset(),
          key, type, value == null ? "" : value.toString());
    }
  }
}
