package dev.kos.cli;

import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.KosHome;
import dev.kos.cli.common.LocalStack;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UntilStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos up}: the control bus on this machine, in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Start kos on this machine: a real Kafka broker (KRaft, in a forked JVM), the kos topics, a",
        "schema registry, the allocator, local agents and the apps, jobs and kafka frameworks. Runs in the",
        "foreground; Ctrl-C stops it all.",
        "It writes the addresses to $KOS_HOME/cluster.properties so `kos` commands in other shells",
        "find the cluster without flags."})
public final class UpCommand implements Callable<Integer> {

  /** The key of $KOS_HOME/cluster.properties that holds where the stack serves its metrics. */
  public static final String METRICS_URL_KEY = "metrics-url";

  @Spec
  CommandSpec spec;

  @ParentCommand
  Kos kos;

  @Mixin
  BusOptions bus;

  @FromEnvironment
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Keep the broker's data here across restarts (env KOS_DATA_DIR; default: a temporary directory removed on exit)")
  Path dataDir;

  @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "0",
      description = "Port of the embedded broker; 0 reuses the one recorded in --data-dir, or picks a free one (default: ${DEFAULT-VALUE})")
  int brokerPort;

  @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "0",
      description = "Port of the embedded schema registry; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int registryPort;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "2",
      description = "Local agents to start, each with an equal share of this machine (default: ${DEFAULT-VALUE})")
  int agents;

  @Option(names = "--analytics",
      description = "Also start a Cassandra node (forked JVM, data under --data-dir/cassandra) for `kos analytics`")
  boolean analytics;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + dev.kos.cli.api.ApiCommand.DEFAULT_PORT,
      description = "Port of the HTTP API on 127.0.0.1 (`kos api`); 0 picks a free one, -1 starts none "
          + "(default: ${DEFAULT-VALUE})")
  int apiPort;

  @Mixin
  MetricsOptions metrics;

  @FromEnvironment
  @Option(names = "--cassandra", paramLabel = "HOST:PORT,...",
      description = "Use this Cassandra cluster for `kos analytics` instead of starting a node (env KOS_CASSANDRA)")
  String cassandra;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    KosHome home = kos.home();
    if (dataDir != null) {
      Files.createDirectories(dataDir);
    }
    // The cluster file names the cluster `kos up` started; ignore it here, or a second `kos up`
    // would connect to the first one's broker instead of starting its own.
    boolean ownBroker = bus.bootstrapServer() == null || fromClusterFile(home, "bootstrap-server", bus.bootstrapServer());
    boolean ownRegistry = bus.schemaRegistry() == null || fromClusterFile(home, "schema-registry", bus.schemaRegistry());
    LocalStack.Plan plan = new LocalStack.Plan(
        ownBroker ? Optional.empty() : Optional.of(bus.bootstrapServer()),
        ownRegistry ? Optional.empty() : Optional.of(bus.schemaRegistry()),
        Optional.ofNullable(dataDir), brokerPort, "127.0.0.1", registryPort, bus.catalog(), agents, Optional.empty());

    // One page for the whole stack, which runs in this process: the allocator, the agents, the frameworks, kos lb.
    Optional<MetricsServer> served = metrics.serve(out);
    LocalStack stack;
    try {
      stack = LocalStack.start(plan, out);
    } catch (RuntimeException | IOException e) {
      MetricsOptions.close(served);
      throw e;
    }
    Optional<String> analyticsStore = analyticsStore(home, stack, out);
    Properties cluster = new Properties();
    cluster.setProperty("bootstrap-server", stack.bootstrapServers());
    cluster.setProperty("schema-registry", stack.schemaRegistryUrl());
    cluster.setProperty("topic-prefix", bus.topicPrefix());
    analyticsStore.ifPresent(contactPoints -> cluster.setProperty("cassandra", contactPoints));
    // Not an option's name, so no command takes it as a default: it tells scripts where the stack's metrics are.
    served.ifPresent(server -> cluster.setProperty(METRICS_URL_KEY, server.url()));
    home.writeCluster(cluster);
    dev.kos.api.http.ApiServer api;
    try {
      api = apiPort < 0 ? null : dev.kos.cli.api.LocalApi.start(stack.bus(bus.catalog()), home, apiPort,
          analyticsStore, out);
    } catch (RuntimeException e) {
      stack.close();
      MetricsOptions.close(served);
      throw e;
    }

    UntilStopped life = UntilStopped.onStop("up", () -> {
      out.println("stopping kos ...");
      closeApi(api);
      stack.close();
      MetricsOptions.close(served);
      try {
        Files.deleteIfExists(home.clusterFile());
      } catch (IOException e) {
        System.err.println("kos: could not remove " + home.clusterFile() + ": " + e.getMessage());
      }
      out.println("kos stopped");
    });

    out.println();
    out.println("kos is up.");
    out.println("  bootstrap server: " + stack.bootstrapServers());
    out.println("  schema registry:  " + stack.schemaRegistryUrl());
    analyticsStore.ifPresent(contactPoints -> out.println("  cassandra:        " + contactPoints));
    out.println("  cluster file:     " + home.clusterFile());
    served.ifPresent(server -> out.println("  metrics:          " + server.url()
        + " (allocator, agents, frameworks, lb; Prometheus text)"));
    if (api != null) {
      out.println("  API:              http://127.0.0.1:" + api.port() + " (" + dev.kos.cli.api.LocalApi.tokenHint(home)
          + ")");
    }
    out.println("Try `bin/kos topics` or `bin/kos events --follow` in another shell. Ctrl-C stops kos.");
    life.await();
    return 0;
  }

  /** The Cassandra of `kos analytics`, when asked for: the given cluster, else an embedded node. */
  private Optional<String> analyticsStore(KosHome home, LocalStack stack, PrintWriter out) {
    // As for the broker: a value from the cluster file names the previous `kos up`'s node.
    boolean ownCassandra = cassandra == null || fromClusterFile(home, "cassandra", cassandra);
    if (!analytics && ownCassandra) {
      return Optional.empty();
    }
    try {
      return Optional.of(stack.useCassandra(ownCassandra ? Optional.empty() : Optional.of(cassandra),
          Optional.ofNullable(dataDir), out));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private static void closeApi(dev.kos.api.http.ApiServer api) {
    try {
      if (api != null) {
        api.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean fromClusterFile(KosHome home, String key, String value) {
    return value.equals(KosHome.read(home.clusterFile()).getProperty(key));
  }
}
