package dev.kos.analytics.spark;

import dev.kos.analytics.spark.core.ExecutorSize;
import dev.kos.bus.BusSettings;
import dev.kos.bus.catalog.TopicCatalog;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;

/**
 * What a Spark application on kos is told through its master URL ({@code kos://host:port,...}: the bus's bootstrap
 * servers) and its {@code spark.kos.*} settings. Read once, when the backend is created, so bad settings fail the
 * application's start with a message that names them.
 */
record KosSparkSettings(BusSettings bus, String role, Duration failoverTimeout, ExecutorSize executorSize,
    String executorClasspath, int maxExecutorFailures) {

  static final String SCHEME = "kos://";

  static boolean isKosMaster(String masterUrl) {
    return masterUrl != null && masterUrl.startsWith(SCHEME);
  }

  static KosSparkSettings from(String masterUrl, SparkConf conf, int initialExecutors) {
    String bootstrap = masterUrl.substring(SCHEME.length());
    if (bootstrap.isBlank()) {
      throw new IllegalArgumentException("master " + masterUrl + " names no bootstrap server: use kos://HOST:PORT,...");
    }
    String registry = conf.get("spark.kos.schemaRegistry", "");
    if (registry.isBlank()) {
      throw new IllegalArgumentException("spark.kos.schemaRegistry is not set: a Spark application on kos needs the "
          + "bus's schema registry URL (as KOS_SCHEMA_REGISTRY gives it to kos)");
    }
    TopicCatalog catalog = new TopicCatalog(conf.get("spark.kos.topicPrefix", TopicCatalog.DEFAULT_PREFIX),
        TopicCatalog.DEFAULT_PARTITIONS, (short) 1);
    BusSettings bus = new BusSettings(bootstrap, registry, catalog, clientConfig(conf.get("spark.kos.clientConfig", "")));
    ExecutorSize size = ExecutorSize.of(conf.getInt("spark.executor.cores", 1),
        conf.getSizeAsMb("spark.executor.memory", "1g"),
        conf.contains("spark.executor.memoryOverhead") ? conf.getSizeAsMb("spark.executor.memoryOverhead") : null);
    return new KosSparkSettings(bus, conf.get("spark.kos.role", "analytics"),
        Duration.ofSeconds(conf.getLong("spark.kos.failoverTimeoutSeconds", 30)), size,
        conf.get("spark.kos.executor.classpath", absolute(System.getProperty("java.class.path"))),
        conf.getInt("spark.kos.executor.maxFailures", Math.max(3, 2 * initialExecutors)));
  }

  /**
   * The driver's own classpath with every entry made absolute: the executors run it from their sandboxes, on
   * agents of this machine (a fetcher that brings the jars to another machine's agent is the containers issue's).
   */
  static String absolute(String classpath) {
    return Arrays.stream(classpath.split(File.pathSeparator)).filter(entry -> !entry.isBlank())
        .map(entry -> entry.endsWith("*")
            ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + File.separator + "*"
            : Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static Map<String, String> clientConfig(String file) {
    Map<String, String> config = new TreeMap<>();
    if (file.isBlank()) {
      return config;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file))) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spark.kos.clientConfig " + file, e);
    }
    props.stringPropertyNames().forEach(key -> config.put(key, props.getProperty(key)));
    return config;
  }
}
