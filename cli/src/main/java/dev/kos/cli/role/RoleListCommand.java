package dev.kos.cli.role;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.RoleInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos role list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the configured roles (kos.roles).",
        "WEIGHT is the fair share; a role of higher PRIORITY is offered first; GUARANTEE is served",
        "first, LIMIT never exceeded (cpus, mem and disk in MiB; '-' in a limit: not limited);",
        "MAX-UTIL holds the role back while the cluster is at least that allocated. A role",
        "nobody configured has weight 1, priority 0 and no quota, and is not listed."})
public final class RoleListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--json", description = "One JSON array of the roles' RoleInfo records")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<RoleInfo> roles = CompactedTopic.read(bus.connect(), Topics.ROLES);
    roles.warnIfIncomplete(spec.commandLine().getErr());
    if (json) {
      JsonListing.printArray(out, roles.byKey().values());
    } else if (roles.byKey().isEmpty()) {
      out.println("no roles configured (kos role configure ROLE --weight W creates one)");
    } else {
      Table table = new Table(RoleView.HEADER);
      roles.byKey().values().forEach(role -> table.row(RoleView.row(role)));
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
