package dev.kos.cli.kafka;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.common.ApiOptions;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.cli.results.JsonListing;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.ServerConfig;
import dev.kos.schema.KafkaClusterState;
import java.io.PrintWriter;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos kafka list}: every cluster the kafka framework runs. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the Kafka clusters the kafka framework runs.",
        "From kos.kafka-clusters: each one's release, brokers (healthy of all), config version, partition "
            + "rebalance and bootstrap servers. `kos kafka describe NAME` shows one cluster broker by broker."})
public final class KafkaListCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  ApiOptions api;

  @Option(names = "--json", description = "One JSON array of the clusters' KafkaClusterState records (without "
      + "their brokers' JMX password)")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<KafkaClusterState> latest = api.read(bus, Topics.KAFKA_CLUSTERS);
    if (json) {
      JsonListing.printArray(out, KafkaStatus.states(latest, spec.commandLine().getErr()).values());
      return 0;
    }
    SortedMap<String, KafkaCluster> clusters = KafkaStatus.clusters(latest, spec.commandLine().getErr());
    if (clusters.isEmpty()) {
      out.println("no kafka clusters: `kos kafka create NAME --brokers 3` creates one");
    } else {
      Table table = new Table("NAME", "KAFKA", "BROKERS", "CONFIG", "REBALANCE", "BOOTSTRAP");
      for (KafkaCluster cluster : clusters.values()) {
        long healthy = cluster.members().stream().filter(Broker::runningHealthy).count();
        table.row(cluster.name(), cluster.version(), healthy + "/" + cluster.members().size() + " healthy",
            Long.toString(cluster.configVersion()), cluster.rebalance().name(), ServerConfig.bootstrapServers(cluster));
      }
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
