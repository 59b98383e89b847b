package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.schema.CreateKafkaCluster;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka create NAME --brokers 3}. */
@Command(name = "create",
    description = {"Create a Kafka cluster (KRaft).",
        "From 3 brokers on, nodes 1-3 are combined controller+broker nodes (the static voters) and further nodes "
            + "are brokers only; smaller clusters have one controller."})
public final class KafkaCreateCommand implements Callable<Integer> {

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

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name: lower-case letters, digits, '-'")
  String name;

  @Option(names = "--brokers", paramLabel = "N", defaultValue = "3", description = "Brokers (default: ${DEFAULT-VALUE})")
  int brokers;

  @Option(names = "--cpus", paramLabel = "CPUS", defaultValue = "0.5",
      description = "Cpus each broker reserves (default: ${DEFAULT-VALUE})")
  double cpus;

  @Option(names = "--mem", paramLabel = "MB", defaultValue = "768",
      description = "Memory each broker reserves; its heap is half of it (default: ${DEFAULT-VALUE})")
  double mem;

  @Option(names = "--disk", paramLabel = "MB", defaultValue = "1024",
      description = "Size of each broker's log volume (default: ${DEFAULT-VALUE})")
  double disk;

  @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A server.properties override, repeatable")
  Map<String, String> config = new HashMap<>();

  @Option(names = "--version", paramLabel = "RELEASE",
      description = "The Kafka release its brokers run, one the kafka framework has a classpath for "
          + "(default: the framework's own release)")
  String version;

  @Override
  public Integer call() {
    return command.send(bus, spec, CreateKafkaCluster.newBuilder().setName(name).setBrokers(brokers).setCpus(cpus)
        .setMem(mem).setDisk(disk).setConfig(Map.copyOf(config)).setVersion(version).build());
  }
}
