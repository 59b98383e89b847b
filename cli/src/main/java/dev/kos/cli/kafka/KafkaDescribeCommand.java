package dev.kos.cli.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kos.bus.ControlBus;
import dev.kos.bus.json.AvroToJson;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.results.JsonListing;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.ClusterText;
import dev.kos.schema.StatusEvent;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.generic.IndexedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka describe NAME}: brokers, agents, endpoints, releases, health and the latest moves. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {"Show one cluster, broker by broker.",
        "As the kafka framework last wrote it on kos.kafka-clusters: its release and config version, each "
            + "broker's phase, health, agent, endpoint and release, and the latest partition reassignment and "
            + "metadata.version events from kos.status, why a broker still waiting for an agent is unplaced, and why a "
            + "broker that failed too often in a row is no longer relaunched (BROKER_GAVE_UP)."})
public final class KafkaDescribeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Option(names = "--json", description = "One JSON object: the cluster's KafkaClusterState record (without its JMX "
      + "password), the latest reassignment and metadata StatusEvents (null if none), and unplaced: the latest "
      + "BROKER_UNPLACED StatusEvent of each broker still waiting for an agent, and gaveUp: the latest BROKER_GAVE_UP "
      + "StatusEvent of each broker the framework stopped relaunching")
  boolean json;

  @Override
  public Integer call() {
    ControlBus connected = bus.connect();
    KafkaStatus status = KafkaStatus.read(connected, name, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, IndexedRecord> fields = new LinkedHashMap<>();
      fields.put("cluster", KafkaStatus.states(connected, spec.commandLine().getErr()).get(name));
      fields.put("reassignment", status.reassignment().orElse(null));
      fields.put("metadata", status.metadata().orElse(null));
      ObjectNode document = (ObjectNode) JsonListing.fields(fields);
      ArrayNode unplaced = document.putArray("unplaced");
      status.unplaced().values().forEach(event -> unplaced.add(AvroToJson.toJson(event)));
      ArrayNode gaveUp = document.putArray("gaveUp");
      status.gaveUp().values().forEach(event -> gaveUp.add(AvroToJson.toJson(event)));
      JsonListing.print(out, document);
      return 0;
    }
    out.println("cluster " + name + ": " + ClusterText.describe(status.cluster()));
    status.cluster().scaling().ifPresent(policy -> out.println("scaling policy: " + policy.describe()
        + " (decisions: kos events, kos.scale-decisions)"));
    out.printf("%-4s %-40s %s%n", "ID", "TASK", "STATE");
    for (Broker broker : status.cluster().brokers()) {
      out.printf("%-4d %-40s %s%n", broker.nodeId(), broker.taskId().orElse("-"), ClusterText.describe(broker));
    }
    status.unplaced().values().forEach(event -> out.println("unplaced: " + event.getMessage()));
    status.gaveUp().values().forEach(event -> out.println("not relaunched: " + event.getMessage()));
    event(out, "partitions", status.reassignment());
    event(out, "metadata", status.metadata());
    out.flush();
    return 0;
  }

  private static void event(PrintWriter out, String what, Optional<StatusEvent> event) {
    event.ifPresent(e -> out.println(what + ": " + e.getKind() + " at " + e.getTimestamp() + ": " + e.getMessage()));
  }
}
