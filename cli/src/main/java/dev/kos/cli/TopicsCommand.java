package dev.kos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.TopicState;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.cli.results.JsonListing;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos topics}: the catalogue, and each topic's state on the cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"List the kos topic catalogue with each topic's state on the cluster: ok, missing, or what differs.",
        "With --create, first create the missing topics (what `kos up` does); on a secured bus run that once as a",
        "principal allowed to create topics (docs/security.md)."})
public final class TopicsCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--create", description = "Create the topics that are missing, then list; existing topics are left as they are")
  boolean create;

  @Option(names = "--json", description = "One JSON object: the replication new topics get, and for each topic its "
      + "catalogue settings, its partitions on the cluster (null if missing) and its state")
  boolean json;

  @Mixin
  BusOptions bus;

  @Override
  public Integer call() throws Exception {
    TopicCatalog catalog = bus.catalog();
    Map<String, TopicState> states;
    String durability;
    Map<String, Object> config = bus.adminConfig();
    config.put("default.api.timeout.ms", "15000");
    config.put("request.timeout.ms", "10000");
    try (Admin admin = Admin.create(config)) {
      TopicBootstrap bootstrap = new TopicBootstrap(admin, catalog);
      // With --json, stdout holds the JSON alone; what is said on the way goes to stderr.
      PrintWriter says = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
      if (create) {
        TopicBootstrap.Outcome outcome = bootstrap.ensureTopics();
        says.printf("topics: %d created, %d already there%n", outcome.created().size(), outcome.existing().size());
      }
      states = bootstrap.describe();
      durability = bootstrap.durability().describe();
      if (!json) {
        says.println("new topics get " + durability);
      }
      says.flush();
    }
    Table table = new Table("TOPIC", "PARTITIONS", "CLEANUP", "RETENTION", "KEY", "VALUE", "STATE");
    ObjectNode document = JSON.createObjectNode().put("newTopicsGet", durability);
    ArrayNode topics = document.putArray("topics");
    boolean allOk = true;
    for (TopicDef<?> topic : catalog.topics()) {
      String name = catalog.name(topic);
      TopicState state = states.get(name);
      Optional<String> status = state == null ? Optional.empty() : Optional.of(status(catalog, topic, state));
      allOk &= status.filter("ok"::equals).isPresent();
      table.row(name,
          state == null ? String.valueOf(catalog.partitionsOf(topic)) : String.valueOf(state.partitions()),
          topic.cleanup().kafkaName(),
          topic.cleanup() == TopicDef.CleanupPolicy.COMPACT ? "-" : topic.retention().toDays() + "d",
          topic.key(), topic.valueType().getSimpleName(), status.orElse("missing"));
      topics.add(json(catalog, topic, state, status.orElse("missing")));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonListing.print(out, document.put("allOk", allOk));
    } else {
      table.print(out);
    }
    return allOk ? 0 : 1;
  }

  /** "ok", or what differs from the catalogue. */
  private static String status(TopicCatalog catalog, TopicDef<?> topic, TopicState state) {
    List<String> conflicts = state.conflictsWith(catalog, topic).stream()
        .map(c -> c.setting() + " " + c.actual() + " (want " + c.expected() + ")").toList();
    return conflicts.isEmpty() ? "ok" : String.join("; ", conflicts);
  }

  /** One topic for --json: its catalogue settings, its partitions on the cluster (null if missing), its state. */
  private static ObjectNode json(TopicCatalog catalog, TopicDef<?> topic, TopicState state, String status) {
    ObjectNode row = JSON.createObjectNode().put("topic", catalog.name(topic))
        .put("wantedPartitions", catalog.partitionsOf(topic));
    if (state == null) {
      row.putNull("partitions");
    } else {
      row.put("partitions", state.partitions());
    }
    return row.put("cleanup", topic.cleanup().kafkaName())
        .put("retentionDays", topic.cleanup() == TopicDef.CleanupPolicy.COMPACT ? null : topic.retention().toDays())
        .put("key", topic.key()).put("value", topic.valueType().getSimpleName()).put("state", status);
  }
}
