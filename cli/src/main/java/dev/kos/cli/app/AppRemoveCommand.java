package dev.kos.cli.app;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.RemoveApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app remove}. */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = {"Kill every instance of an app and forget it."})
public final class AppRemoveCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The app's id, e.g. /team-a/web")
  String appId;

  @Override
  public Integer call() {
    return command.send(bus, spec, new RemoveApp(appId), Answerer.APPS_FRAMEWORK);
  }
}
