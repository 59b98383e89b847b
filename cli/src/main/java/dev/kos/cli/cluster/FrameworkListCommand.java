package dev.kos.cli.cluster;

import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.FrameworkInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos framework list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the registered frameworks.",
        "ROLE and WEIGHT set their fair share; OFFERS says whether they want offers or",
        "have suppressed them; FAILOVER is how long their tasks outlive their absence:",
        "once HEARD (their last heartbeat) is older, the allocator kills their tasks."})
public final class FrameworkListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--json", description = "One JSON array of the frameworks' FrameworkInfo records")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<FrameworkInfo> frameworks = CompactedTopic.read(bus.connect(), Topics.FRAMEWORKS);
    frameworks.warnIfIncomplete(spec.commandLine().getErr());
    if (json) {
      JsonListing.printArray(out, frameworks.byKey().values());
    } else if (frameworks.byKey().isEmpty()) {
      out.println("no frameworks registered");
    } else {
      Instant now = Instant.now();
      Table table = new Table(ClusterView.FRAMEWORK_HEADER);
      frameworks.byKey().values().forEach(framework -> table.row(ClusterView.frameworkRow(framework, now)));
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
