package dev.kos.cli.kafka;

import dev.kos.cli.BusOptions;
import dev.kos.schema.StatusEvent;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka describe NAME}: brokers, agents, endpoints, health and the latest reassignment. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {"Show a cluster as the kafka framework last reported it on kos.status."})
public final class KafkaDescribeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Override
  public Integer call() {
    KafkaStatus status = KafkaStatus.read(bus.connect(), name);
    PrintWriter out = spec.commandLine().getOut();
    out.println("cluster " + name + ": " + status.cluster().getMessage());
    out.printf("%-4s %-40s %s%n", "ID", "TASK", "STATE");
    for (StatusEvent broker : status.brokers().values()) {
      out.printf("%-4d %-40s %s%n", broker.getCounts().get("nodeId"),
          broker.getTaskId() == null ? "-" : broker.getTaskId(), broker.getMessage());
    }
    status.reassignment().ifPresent(event -> out.println("partitions: " + event.getKind() + " at "
        + event.getTimestamp() + ": " + event.getMessage()));
    out.flush();
    return 0;
  }
}
