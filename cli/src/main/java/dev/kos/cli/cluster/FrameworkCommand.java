package dev.kos.cli.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos framework}: the schedulers registered with the allocator. */
@Command(name = "framework", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"The frameworks registered with the allocator (kos.frameworks), registering one ahead of its",
        "process, and running the built-in apps framework as a process of its own (kos framework apps)."},
    subcommands = {FrameworkListCommand.class, FrameworkRegisterCommand.class, FrameworkAppsCommand.class})
public final class FrameworkCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos framework needs a command: list, register or apps");
  }
}
