package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import dev.kos.schema.DeleteKafkaCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka delete NAME --yes}: the whole cluster, its data included. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete a Kafka cluster and all its data.",
        "Every broker stops, its log volume (its data) is destroyed and its reservation released; then the "
            + "cluster is forgotten (CLUSTER_DELETED on kos.status). Nothing is moved elsewhere first, so --yes "
            + "is required."})
public final class KafkaDeleteCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  KafkaCommandOptions command;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Option(names = "--yes", description = "Confirm: the cluster's topics and records are destroyed for good")
  boolean yes;

  @Option(names = "--json", description = "Print the framework's answer as its CommandResult record")
  boolean json;

  @Override
  public Integer call() {
    if (!yes) {
      throw new UsageProblem("deleting " + name + " destroys its brokers' volumes, and with them every topic and "
          + "record in it; add --yes to go ahead");
    }
    return command.send(bus, spec, new DeleteKafkaCluster(name), json);
  }
}
