package dev.kos.cli.task;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos task}: the tasks that run on the agents. */
@Command(name = "task", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"List tasks, kill one, or read its output.",
        "list reads each task's latest state (kos.tasks), logs its output (kos.logs)."},
    subcommands = {TaskListCommand.class, TaskKillCommand.class, TaskLogsCommand.class})
public final class TaskCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "kos task needs a command: list, kill or logs (kos task --help explains them)");
  }
}
