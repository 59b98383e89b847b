package dev.kos.cli.cluster;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.DrainAgent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos agent drain ID}. */
@Command(name = "drain", mixinStandardHelpOptions = true,
    description = {"Stop offering an agent's resources and move its tasks away.",
        "The allocator answers; `kos agent undrain ID` offers the agent again."})
public final class AgentDrainCommand implements Callable<Integer> {

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
    return command.send(bus, spec, new DrainAgent(agentId), Answerer.ALLOCATOR);
  }
}
