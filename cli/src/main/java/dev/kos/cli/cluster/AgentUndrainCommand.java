package dev.kos.cli.cluster;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.UndrainAgent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos agent undrain ID}. */
@Command(name = "undrain", mixinStandardHelpOptions = true,
    description = {"Offer a drained agent's resources again.",
        "The allocator answers."})
public final class AgentUndrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The agent's id (kos agent list shows them)")
  String agentId;

  @Override
  public Integer call() {
    return command.send(bus, spec, new UndrainAgent(agentId), Answerer.ALLOCATOR);
  }
}
