package dev.kos.cli.app;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.ScaleApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app scale ID N}. */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = {"Change how many instances of an app run.",
        "When constraints or capacity leave some unplaced, `kos app show ID` says why."})
public final class AppScaleCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The app's id, e.g. /team-a/web")
  String appId;

  @Parameters(index = "1", paramLabel = "N", description = "The number of instances wanted, 0 or more")
  int instances;

  @Override
  public Integer call() {
    if (instances < 0) {
      throw new UsageProblem("N is the number of instances wanted, 0 or more; was " + instances);
    }
    return command.send(bus, spec, new ScaleApp(appId, instances), Answerer.APPS_FRAMEWORK);
  }
}
