package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.schema.UpgradeKafkaCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka upgrade NAME --version 4.3.1}. */
@Command(name = "upgrade",
    description = {"Upgrade a cluster's brokers to a later Kafka release.",
        "They restart onto it one at a time, each only once no partition is under-replicated, keeping their "
            + "volumes. Once all run it, metadata.version is raised to the new release's (METADATA_VERSION_RAISED "
            + "on kos.status), after which kos does not downgrade. The kafka framework must have the release's "
            + "classpath (kos kafka framework --kafka-version)."})
public final class KafkaUpgradeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /**
   * Help declared here rather than through the standard help options: this command's --version is the Kafka
   * release, and with the standard options (whose --version it clashes with) --help failed with "Missing required
   * parameter: 'NAME'" (CommandTreeTest).
   */
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Mixin
  BusOptions bus;

  @Mixin
  KafkaCommandOptions command;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Option(names = "--version", paramLabel = "RELEASE", required = true, description = "The Kafka release, e.g. 4.3.1")
  String version;

  @Override
  public Integer call() {
    return command.send(bus, spec, new UpgradeKafkaCluster(name, version));
  }
}
