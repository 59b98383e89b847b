package dev.kos.cli;

import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.TopicState;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos topics}: the catalogue, and each topic's state on the cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"List the kos topic catalogue with each topic's state on the cluster: ok, missing, or what differs.",
        "With --create, first create the missing topics (what `kos up` does); on a secured bus run that once as a",
        "principal allowed to create topics (docs/security.md)."})
public final class TopicsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--create", description = "Create the topics that are missing, then list; existing topics are left as they are")
  boolean create;

  @Mixin
  BusOptions bus;

  @Override
  public Integer call() throws Exception {
    TopicCatalog catalog = bus.catalog();
    Map<String, TopicState> states;
    Map<String, Object> config = bus.adminConfig();
    config.put("default.api.timeout.ms", "15000");
    config.put("request.timeout.ms", "10000");
    try (Admin admin = Admin.create(config)) {
      TopicBootstrap bootstrap = new TopicBootstrap(admin, catalog);
      if (create) {
        TopicBootstrap.Outcome outcome = bootstrap.ensureTopics();
        spec.commandLine().getOut().printf("topics: %d created, %d already there%n", outcome.created().size(),
            outcome.existing().size());
      }
      states = bootstrap.describe();
      spec.commandLine().getOut().println("new topics get " + bootstrap.durability().describe());
    }
    Table table = new Table("TOPIC", "PARTITIONS", "CLEANUP", "RETENTION", "KEY", "VALUE", "STATE");
    boolean allOk = true;
    for (TopicDef<?> topic : catalog.topics()) {
      String name = catalog.name(topic);
      TopicState state = states.get(name);
      String status;
      if (state == null) {
        status = "missing";
        allOk = false;
      } else {
        List<String> conflicts = state.conflictsWith(catalog, topic).stream()
            .map(c -> c.setting() + " " + c.actual() + " (want " + c.expected() + ")").toList();
        status = conflicts.isEmpty() ? "ok" : String.join("; ", conflicts);
        allOk &= conflicts.isEmpty();
      }
      table.row(name,
          state == null ? String.valueOf(catalog.partitionsOf(topic)) : String.valueOf(state.partitions()),
          topic.cleanup().kafkaName(),
          topic.cleanup() == TopicDef.CleanupPolicy.COMPACT ? "-" : topic.retention().toDays() + "d",
          topic.key(), topic.valueType().getSimpleName(), status);
    }
    PrintWriter out = spec.commandLine().getOut();
    table.print(out);
    return allOk ? 0 : 1;
  }
}
