package dev.kos.cli.role;

import dev.kos.bus.client.Answerer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.ConfigureRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos role configure ROLE --weight W --priority P --max-utilization F}. */
@Command(name = "configure", mixinStandardHelpOptions = true,
    description = {"Create a role or change its weight, priority or utilization threshold (ConfigureRole).",
        "What you leave out stays as it is. The allocator answers with the role's new settings,",
        "or rejects the change with the reason (weight <= 0, a threshold outside (0, 1], no @all:admin)."})
public final class RoleConfigureCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ROLE", description = "The role, e.g. web or batch")
  String role;

  @Option(names = "--weight", paramLabel = "W", description = "The role's fair-share weight, > 0")
  Double weight;

  @Option(names = "--priority", paramLabel = "P",
      description = "Roles of higher priority are offered first; a negative one yields to the default 0")
  Integer priority;

  @Option(names = "--max-utilization", paramLabel = "F",
      description = "While the cluster is at least this fraction allocated, the role gets no new offers; in (0, 1]")
  Double maxUtilization;

  @Override
  public Integer call() {
    if (weight == null && priority == null && maxUtilization == null) {
      throw new ParameterException(spec.commandLine(),
          "kos role configure needs at least one of --weight, --priority, --max-utilization");
    }
    return command.send(bus, spec, new ConfigureRole(role, weight, priority, maxUtilization), Answerer.ALLOCATOR);
  }
}
