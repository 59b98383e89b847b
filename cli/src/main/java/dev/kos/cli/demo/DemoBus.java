package dev.kos.cli.demo;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.cli.results.TopicReader;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.schema.AgentReport;
import dev.kos.schema.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

  /** host:port of each running instance's first port, from the tasks' RUNNING reports on kos.tasks. */
  List<String> endpoints(Collection<Instance> instances) {
    Map<String, TaskStatus> tasks = CompactedTopics.readToEnd(bus, Topics.TASKS);
    List<String> endpoints = new ArrayList<>();
    for (Instance instance : instances) {
      TaskStatus status = tasks.get(instance.taskId());
      if (instance.state() == InstanceState.RUNNING && status != null && status.getResources() != null
          && !status.getResources().getPorts().isEmpty()) {
        endpoints.add("127.0.0.1:" + status.getResources().getPorts().get(0).getBegin());
      }
    }
    return endpoints;
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
