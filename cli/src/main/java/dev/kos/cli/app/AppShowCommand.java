package dev.kos.cli.app;

import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.ApiOptions;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.AppState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app show ID}. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Show one app: its spec, its instances and why some wait for a place.",
        "Exit code 1 when there is no such app."})
public final class AppShowCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  ApiOptions api;

  @Parameters(index = "0", paramLabel = "ID", description = "The app's id, e.g. /team-a/web")
  String appId;

  @Option(names = "--json", description = "The app's full state as one JSON object (an AppState record)")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<AppState> apps = api.read(bus, Topics.APPS);
    apps.warnIfIncomplete(spec.commandLine().getErr());
    AppState app = apps.byKey().get(appId);
    if (app == null) {
      spec.commandLine().getErr().println("kos: no app " + appId + "; `kos app list` shows the apps");
      return 1;
    }
    if (json) {
      JsonListing.printOne(out, app);
      return 0;
    }
    AppView.summary(app).forEach(out::println);
    out.println();
    if (app.getInstances().isEmpty()) {
      out.println("no instances");
    } else {
      Table table = new Table(AppView.INSTANCE_HEADER);
      app.getInstances().forEach(instance -> table.row(AppView.instanceRow(instance)));
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
