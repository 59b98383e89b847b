package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.RemoveKafkaBroker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka broker add|remove}. */
@Command(name = "broker", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"Grow or shrink a cluster; partitions move onto new brokers and off removed ones."},
    subcommands = {KafkaBrokerCommand.Add.class, KafkaBrokerCommand.Remove.class})
public final class KafkaBrokerCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos kafka broker needs a command: add or remove");
  }

  /** {@code kos kafka broker add NAME [--count N]}. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add brokers; once they are healthy, partitions move onto them (throttled).",
          "`kos kafka describe NAME` and kos.status show the progress."})
  public static final class Add implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BusOptions bus;

    @Mixin
    KafkaCommandOptions command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
    String name;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Brokers to add (default: 1)")
    int count;

    @Override
    public Integer call() {
      return command.send(bus, spec, new AddKafkaBrokers(name, count, null));
    }
  }

  /** {@code kos kafka broker remove NAME ID}. */
  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Move a broker's partitions to the others, then stop it and release its volume.",
          "Controller nodes (the static voters, ids 1-3) cannot be removed."})
  public static final class Remove implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BusOptions bus;

    @Mixin
    KafkaCommandOptions command;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
    String name;

    @Parameters(index = "1", paramLabel = "ID", description = "The broker's node id")
    int brokerId;

    @Override
    public Integer call() {
      return command.send(bus, spec, new RemoveKafkaBroker(name, brokerId, null));
    }
  }
}
