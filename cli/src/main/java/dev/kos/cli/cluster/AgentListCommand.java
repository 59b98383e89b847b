package dev.kos.cli.cluster;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.TopicReader;
import dev.kos.cli.common.ApiClient;
import dev.kos.cli.common.ApiOptions;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.AgentReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos agent list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the agents from their latest reports on kos.agents.",
        "CPUS, MEM and DISK are used/total (mem and disk in MiB); STATE is draining for an agent",
        "`kos agent drain` is emptying, drained once its last task ended (the allocator's events on kos.status),",
        "active otherwise."})
public final class AgentListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  ApiOptions api;

  @Option(names = "--json", description = "One JSON array of the agents' latest AgentReport records")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ApiClient> client = api.client();
    ControlBus controlBus = client.isPresent() ? null : bus.connect();
    CompactedTopic.Latest<AgentReport> agents = client.isPresent() ? client.get().view(Topics.AGENTS)
        : CompactedTopic.read(controlBus, Topics.AGENTS);
    agents.warnIfIncomplete(spec.commandLine().getErr());
    if (json) {
      JsonListing.printArray(out, agents.byKey().values());
    } else if (agents.byKey().isEmpty()) {
      out.println("no agents have reported; `kos up` starts local ones, `kos agent --id ID --work-dir DIR` one more");
    } else {
      Instant now = Instant.now();
      // Through the API, STATE is what the agents report: the allocator's drain events are not one of its views.
      AgentDrainStates drains = client.isPresent() ? new AgentDrainStates() : drains(controlBus);
      Table table = new Table(ClusterView.AGENT_HEADER);
      agents.byKey().values().forEach(agent -> table.row(ClusterView.agentRow(agent,
          drains.of(agent.getAgentId()), now)));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static AgentDrainStates drains(ControlBus bus) {
    AgentDrainStates drains = new AgentDrainStates();
    try (TopicReader reader = new TopicReader(bus, "kos-cli-agents")) {
      reader.fromBeginning(reader.partitionsOf(Topics.STATUS));
      reader.readToEnd(record -> {
        if (record.value() != null) {
          drains.seen(reader.decode(Topics.STATUS, record));
        }
      });
    }
    return drains;
  }
}
