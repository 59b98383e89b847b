package dev.kos.cli.role;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos role}: a role's share of the cluster. */
@Command(name = "role", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"A role's weight, priority, utilization threshold and quota (kos.roles).",
        "The allocator checks and applies each change and answers it; changes need @all:admin",
        "(docs/security.md)."},
    subcommands = {RoleListCommand.class, RoleConfigureCommand.class, RoleQuotaCommand.class})
public final class RoleCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos role needs a command: list, configure or quota");
  }
}
