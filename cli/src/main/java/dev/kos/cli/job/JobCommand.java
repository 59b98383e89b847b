package dev.kos.cli.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos job}: batch jobs, run by the jobs framework. */
@Command(name = "job", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"Run and inspect batch jobs: run-once or on a schedule, with retries and a deadline.",
        "",
        "run sends a command on kos.commands that the jobs framework answers on kos.command-results;",
        "kos waits for the answer and exits 0 when it is accepted, 1 when rejected (printing the",
        "reason), 3 when no answer came in time. list reads the jobs framework's state from kos.jobs."},
    subcommands = {JobRunCommand.class, JobListCommand.class})
public final class JobCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos job needs a command: run or list (kos job --help explains"
        + " them)");
  }
}
