package dev.kos.analytics.job;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The job's settings, declared once: {@link LaunchMain} takes them from the user and hands them to
 * {@link RollupJob} as application arguments ({@link #toArgs()}).
 */
public final class JobOptions {

  @Option(names = "--bootstrap-server", required = true, description = "Kafka bootstrap servers, host:port,...")
  String bootstrapServers;

  @Option(names = "--topic-prefix", defaultValue = "kos.", description = "Prefix of the kos topics (default: ${DEFAULT-VALUE})")
  String topicPrefix;

  @Option(names = "--cassandra", required = true, description = "Cassandra contact points, host:port,...")
  String cassandra;

  @Option(names = "--keyspace", defaultValue = "kos_analytics", description = "Keyspace of the rollup tables (default: ${DEFAULT-VALUE})")
  String keyspace;

  @Option(names = "--data-dir", required = true, description = "Analytics data directory; the Spark checkpoint lives under it")
  Path dataDir;

  @Option(names = "--follow", description = "Keep rolling up new records until stopped (default: stop once caught up)")
  boolean follow;

  @Option(names = "--client-config", paramLabel = "FILE",
      description = "Kafka client settings (a properties file) for reading the bus: security.protocol, sasl.*, ssl.*")
  Path clientConfig;

  @Option(names = "--max-records-per-batch", defaultValue = "2000000",
      description = "Upper bound of Kafka records one micro-batch reads (default: ${DEFAULT-VALUE})")
  long maxRecordsPerBatch;

  String logsTopic() {
    return topicPrefix + "logs";
  }

  String metricsTopic() {
    return topicPrefix + "metrics";
  }

  /**
   * One checkpoint per topic prefix and keyspace: it fixes the offset range of every batch id, so
   * pointing the same data directory at other topics must not reuse it.
   */
  Path checkpointDir() {
    return dataDir.resolve("spark-checkpoints").resolve((topicPrefix + keyspace).replaceAll("[^A-Za-z0-9_.-]", "_"));
  }

  /** The --client-config settings as Spark's Kafka source takes them ({@code kafka.} before each key). */
  Map<String, String> kafkaSourceOptions() {
    Map<String, String> options = new TreeMap<>();
    if (clientConfig == null) {
      return options;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(clientConfig)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the client config " + clientConfig, e);
    }
    props.stringPropertyNames().forEach(key -> options.put("kafka." + key, props.getProperty(key)));
    return options;
  }

  List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap-server", bootstrapServers,
        "--topic-prefix", topicPrefix,
        "--cassandra", cassandra,
        "--keyspace", keyspace,
        "--data-dir", dataDir.toAbsolutePath().toString(),
        "--max-records-per-batch", Long.toString(maxRecordsPerBatch)));
    if (follow) {
      args.add("--follow");
    }
    if (clientConfig != null) {
      args.addAll(List.of("--client-config", clientConfig.toAbsolutePath().toString()));
    }
    return args;
  }
}
