package dev.kos.cli.task;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.KillInstance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos task kill ID}. */
@Command(name = "kill", mixinStandardHelpOptions = true,
    description = {"Kill one task of an app.",
        "The apps framework starts a replacement, unless --scale also lowers the app's",
        "instance count by one."})
public final class TaskKillCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The task's id (kos task list shows them)")
  String taskId;

  @Option(names = "--scale", description = "Also lower the app's instance count by one, so no replacement starts")
  boolean scale;

  @Override
  public Integer call() {
    return command.send(bus, spec, new KillInstance(taskId, scale), Answerer.APPS_FRAMEWORK);
  }
}
