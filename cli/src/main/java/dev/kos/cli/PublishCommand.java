package dev.kos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.json.JsonAvroException;
import dev.kos.bus.json.JsonToAvro;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos publish TOPIC --json FILE}: validate a person's JSON against the topic's schema, then publish it. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {
        "Validate a JSON record against the topic's Avro schema and publish it.",
        "Nullable fields take a plain value or null; a union of records takes {\"BranchName\": {...}};",
        "timestamps take epoch millis or an ISO-8601 instant. A violation names the field and the",
        "expected type, and nothing is published (exit code 2)."})
public final class PublishCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic name (kos.commands) or suffix (commands)")
  String topicName;

  @Option(names = "--json", required = true, paramLabel = "FILE", description = "The record as JSON; - reads standard input")
  String jsonFile;

  @Option(names = "--key", paramLabel = "KEY",
      description = "Record key (default: the key the topic contract derives from the record, e.g. the target app of a command)")
  String key;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    TopicDef<?> topic = bus.catalog().find(topicName).orElseThrow(() -> new UsageProblem(
        "unknown topic '" + topicName + "'; `kos topics` lists them"));
    SpecificRecord record;
    try {
      record = JsonToAvro.toSpecificRecord(stampedNow(readJson(), topic), topic.valueType());
    } catch (JsonAvroException e) {
      throw new UsageProblem("the record does not match " + topic.valueType().getSimpleName()
          + " (the schema of " + bus.catalog().name(topic) + "):\n" + e.getMessage());
    }
    String recordKey = key != null ? key : topic.keyFor(record);
    ControlBus controlBus = bus.connect();
    try (BusPublisher publisher = new BusPublisher(controlBus, "kos-publish")) {
      RecordMetadata meta = publish(publisher, topic, recordKey, record);
      out.printf("published %s to %s partition %d offset %d (key %s)%n", topic.valueType().getSimpleName(),
          meta.topic(), meta.partition(), meta.offset(), recordKey);
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> RecordMetadata publish(BusPublisher publisher, TopicDef<V> topic,
      String key, SpecificRecord record) throws Exception {
    return publisher.publish(topic, key, (V) record).get();
  }

  /**
   * Records carry the time they were sent; a person writing JSON by hand should not have to,
   * so a missing top-level {@code timestamp} is set to now (as kubectl stamps creation times).
   */
  private String stampedNow(String json, TopicDef<?> topic) throws IOException {
    if (topic.valueSchema().getField("timestamp") == null) {
      return json;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return json;
    }
    if (tree instanceof ObjectNode object && !object.has("timestamp")) {
      object.put("timestamp", Instant.now().toEpochMilli());
      return object.toString();
    }
    return json;
  }

  private String readJson() throws IOException {
    if (jsonFile.equals("-")) {
      InputStream in = System.in;
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(Path.of(jsonFile));
    } catch (NoSuchFileException e) {
      throw new UsageProblem("no such file: " + jsonFile);
    }
  }
}
