package dev.kos.cli.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos app}: long-running services, run by the apps framework. */
@Command(name = "app", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"Deploy, change and inspect long-running services (apps).",
        "",
        "Each change is a command on kos.commands that the apps framework answers on",
        "kos.command-results. kos waits for the answer and exits 0 when it is accepted,",
        "1 when rejected (printing the reason), 3 when no answer came in time.",
        "list and show read the apps framework's state from kos.apps; endpoints reads kos.endpoints."},
    subcommands = {AppListCommand.class, AppShowCommand.class, AppDeployCommand.class, AppUpdateCommand.class,
        AppScaleCommand.class, AppRestartCommand.class, AppRemoveCommand.class, AppPolicyCommand.class,
        AppEndpointsCommand.class})
public final class AppCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos app needs a command: list, show, deploy, update, scale, "
        + "restart, remove or policy (kos app --help explains them)");
  }
}
