package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.ClusterText;
import dev.kos.schema.StatusEvent;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka describe NAME}: brokers, agents, endpoints, releases, health and the latest moves. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {"Show one cluster, broker by broker.",
        "As the kafka framework last wrote it on kos.kafka-clusters: its release and config version, each "
            + "broker's phase, health, agent, endpoint and release, and the latest partition reassignment and "
            + "metadata.version events from kos.status."})
public final class KafkaDescribeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Override
  public Integer call() {
    KafkaStatus status = KafkaStatus.read(bus.connect(), name, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    out.println("cluster " + name + ": " + ClusterText.describe(status.cluster()));
    out.printf("%-4s %-40s %s%n", "ID", "TASK", "STATE");
    for (Broker broker : status.cluster().brokers()) {
      out.printf("%-4d %-40s %s%n", broker.nodeId(), broker.taskId().orElse("-"), ClusterText.describe(broker));
    }
    event(out, "partitions", status.reassignment());
    event(out, "metadata", status.metadata());
    out.flush();
    return 0;
  }

  private static void event(PrintWriter out, String what, Optional<StatusEvent> event) {
    event.ifPresent(e -> out.println(what + ": " + e.getKind() + " at " + e.getTimestamp() + ": " + e.getMessage()));
  }
}
