package dev.kos.cli.app;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.AppSpec;
import dev.kos.schema.UpdateApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app update}. */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Roll out a new version of an app from its whole spec, a JSON file.",
        "The spec is checked as deploy checks it; the apps framework replaces the",
        "instances within the spec's upgrade strategy."})
public final class AppUpdateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "The new app spec as JSON (AppSpec); - reads standard input")
  String file;

  @Override
  public Integer call() {
    return command.send(bus, spec, new UpdateApp(JsonFile.read(file, AppSpec.class)), Answerer.APPS_FRAMEWORK);
  }
}
