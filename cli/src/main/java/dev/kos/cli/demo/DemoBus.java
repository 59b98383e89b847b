package dev.kos.cli.demo;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.client.TopicReader;
import dev.kos.model.ContainerSpec;
import dev.kos.schema.AgentReport;
import dev.kos.schema.AppEndpoints;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** What the demo reads off the bus to tell its story: whole topics (they are small here) and views. */
final class DemoBus {

  private final ControlBus bus;

  DemoBus(ControlBus bus) {
    this.bus = bus;
  }

  ControlBus bus() {
    return bus;
  }

  /** Every committed record of the topic so far, decoded. */
  <V extends SpecificRecord> List<V> all(TopicDef<V> topic) {
    List<V> values = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bus, "kos-demo-read")) {
      reader.fromBeginning(reader.partitionsOf(topic));
      reader.readToEnd(record -> values.add(reader.decode(topic, record)));
    }
    return values;
  }

  /**
   * Where the app is reached, from kos.endpoints (its serving instances' first port). The local stack's agents all
   * run on this machine under names that are not host names, so each endpoint is this machine's loopback address.
   */
  List<String> endpoints(String appId) {
    AppEndpoints app = CompactedTopics.readToEnd(bus, Topics.ENDPOINTS).get(appId);
    List<String> endpoints = new ArrayList<>();
    if (app != null) {
      app.getEndpoints().stream().filter(e -> !e.getPorts().isEmpty())
          .forEach(e -> endpoints.add("127.0.0.1:" + e.getPorts().get(0)));
    }
    return endpoints;
  }

  /** How many agents advertise that they run containers ({@code kos.containers=runc} in their latest report). */
  long agentsRunningContainers() {
    return CompactedTopics.readToEnd(bus, Topics.AGENTS).values().stream()
        .filter(report -> ContainerSpec.RUNC.equals(report.getAttributes().get(ContainerSpec.RUNTIME_ATTRIBUTE)))
        .count();
  }

  /** Memory used and offered over every agent, from their latest reports: {used, total}. */
  double[] memory() {
    double used = 0;
    double total = 0;
    for (AgentReport report : CompactedTopics.readToEnd(bus, Topics.AGENTS).values()) {
      used += report.getUsed().getMem();
      total += report.getTotal().getMem();
    }
    return new double[] {used, total};
  }
}
