package dev.kos.cli.kafka;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos kafka}: Kafka clusters whose brokers run as stateful tasks on kos agents. */
@Command(name = "kafka", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"Kafka clusters run by the kafka framework: brokers as stateful tasks on kos agents,",
        "each with its reserved resources, ports and log volume. See docs/kafka-framework.md."},
    subcommands = {KafkaCreateCommand.class, KafkaListCommand.class, KafkaBrokerCommand.class, KafkaConfigCommand.class,
        KafkaUpgradeCommand.class, KafkaDescribeCommand.class, KafkaEndpointsCommand.class, KafkaFrameworkCommand.class, KafkaDeleteCommand.class,
        KafkaTopicsCommand.class, KafkaRebalanceCommand.class, KafkaPolicyCommand.class})
public final class KafkaCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "kos kafka needs a command: create, list, broker, config, upgrade, describe, endpoints, topics, rebalance, "
            + "policy, "
            + "delete or framework");
  }
}
