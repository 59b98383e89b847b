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
import picocli.CommandLine.Spec;

/** {@code kos app list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the apps.",
        "INSTANCES is running/wanted, HEALTHY healthy/wanted (- without health checks),",
        "VERSION the deployment the instances run, DEPLOYMENT the one in progress."})
public final class AppListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  ApiOptions api;

  @Option(names = "--json", description = "One JSON array of the apps' full state (AppState records)")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<AppState> apps = api.read(bus, Topics.APPS);
    apps.warnIfIncomplete(spec.commandLine().getErr());
    if (json) {
      JsonListing.printArray(out, apps.byKey().values());
    } else if (apps.byKey().isEmpty()) {
      out.println("no apps yet; `kos app deploy FILE` deploys one");
    } else {
      Table table = new Table(AppView.LIST_HEADER);
      apps.byKey().values().forEach(app -> table.row(AppView.listRow(app)));
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
