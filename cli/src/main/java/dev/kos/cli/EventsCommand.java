package dev.kos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.json.AvroToJson;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import dev.kos.cli.results.EventLines;
import dev.kos.bus.client.TopicReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
        "Without --topic it prints what users watch, one aligned line each, time first:",
        "status changes and deployments (kos.status), scale decisions, command answers",
        "and task states. With --topic it prints every record of those topics as is.",
        "With --from-beginning and without --follow it prints what is there and exits;",
        "--max N stops after N records in any mode. Records that do not decode are shown",
        "with the reason and skipped."})
public final class EventsCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--topic", paramLabel = "TOPIC",
      description = "Topic (name or suffix), repeatable (default: the readable stream of status, scale-decisions, "
          + "command-results and task-status)")
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
    boolean readable = topics.isEmpty() && !json;
    boolean stopAtEnd = fromBeginning && !follow;
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        controlBus.consumerProperties(null, "kos-events"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      byName.keySet().forEach(topic -> partitions.addAll(TopicReader.partitionsOf(consumer, topic)));
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      if (readable && fromBeginning) {
        printed = printHistoryInTimeOrder(out, controlBus, byName, consumer, end);
      }
      while ((max == null || printed < max) && !(stopAtEnd && caughtUp(consumer, end))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          print(out, controlBus, byName.get(record.topic()), record, readable);
          if (max != null && ++printed >= max) {
            break;
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  /**
   * The readable stream's history merges several topics and partitions, each in its own order: it reads
   * up to the end, then prints it by record time, so that a deployment reads as it happened.
   */
  private long printHistoryInTimeOrder(PrintWriter out, ControlBus controlBus, Map<String, TopicDef<?>> byName,
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    List<ConsumerRecord<byte[], byte[]>> history = new ArrayList<>();
    while (!caughtUp(consumer, end)) {
      consumer.poll(Duration.ofMillis(200)).forEach(history::add);
    }
    history.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    int count = max == null ? history.size() : (int) Math.min(max, history.size());
    history.subList(0, count).forEach(record -> print(out, controlBus, byName.get(record.topic()), record, true));
    return count;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private Map<String, TopicDef<?>> resolveTopics(ControlBus controlBus) {
    Map<String, TopicDef<?>> byName = new HashMap<>();
    if (topics.isEmpty()) {
      EventLines.TOPICS.forEach(t -> byName.put(controlBus.topic(t), t));
    }
    for (String name : topics) {
      TopicDef<?> topic = controlBus.catalog().find(name)
          .orElseThrow(() -> new UsageProblem("unknown topic '" + name + "'; `kos topics` lists them"));
      byName.put(controlBus.topic(topic), topic);
    }
    return byName;
  }

  private void print(PrintWriter out, ControlBus controlBus, TopicDef<?> topic, ConsumerRecord<byte[], byte[]> record,
      boolean readable) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Instant time = Instant.ofEpochMilli(record.timestamp());
    String when = time.toString();
    ObjectNode value;
    String type;
    try {
      SpecificRecord decoded = record.value() == null ? null : controlBus.serde(topic).deserialize(record.topic(), record.value());
      if (readable && decoded != null) {
        out.println(EventLines.format(decoded, time));
        return;
      }
      value = decoded == null ? null : AvroToJson.toJson(decoded);
      type = decoded == null ? "tombstone" : decoded.getSchema().getName();
    } catch (MalformedRecordException e) {
      if (readable) {
        out.println(EventLines.undecodable(record.topic(), time, e.getMessage()));
        return;
      }
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
