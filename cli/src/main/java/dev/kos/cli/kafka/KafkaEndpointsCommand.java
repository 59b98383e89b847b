package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.frameworks.kafka.core.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka endpoints NAME}: the bootstrap servers clients use. */
@Command(name = "endpoints", mixinStandardHelpOptions = true,
    description = {"Print the cluster's bootstrap servers (host:port,...), for --bootstrap-server."})
public final class KafkaEndpointsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(ServerConfig.bootstrapServers(KafkaStatus.read(bus.connect(), name,
        spec.commandLine().getErr()).cluster()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
