package dev.kos.analytics.cassandra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to start an embedded Cassandra node.
 *
 * @param dataDir where the node keeps its data, configuration and logs; empty: a temporary
 *     directory deleted on close
 * @param maxHeap the node's {@code -Xmx} (e.g. {@code 768m}); Cassandra sizes its memtables and
 *     caches from it
 * @param cqlPort the CQL (native transport) port; 0: a free one
 * @param storagePort the internode port; 0: a free one
 * @param startTimeout how long to wait for CQL to answer
 * @param extraJvmOptions appended to the node's JVM options
 */
public record EmbeddedCassandraSettings(
    Optional<Path> dataDir, String maxHeap, int cqlPort, int storagePort, Duration startTimeout,
    List<String> extraJvmOptions) {

  /** Measured: the node starts and serves the rollup queries with 512 MiB (docs/performance.md). */
  public static final String DEFAULT_MAX_HEAP = "512m";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(300);

  public EmbeddedCassandraSettings {
    extraJvmOptions = List.copyOf(extraJvmOptions);
    if (!maxHeap.matches("\\d+[kKmMgG]")) {
      throw new IllegalArgumentException("max heap must look like 512m or 1g, got '" + maxHeap + "'");
    }
    if (cqlPort < 0 || cqlPort > 65_535 || storagePort < 0 || storagePort > 65_535) {
      throw new IllegalArgumentException("ports must be within 0..65535 (0: a free one)");
    }
    if (cqlPort != 0 && cqlPort == storagePort) {
      throw new IllegalArgumentException("the CQL and storage ports must differ, both are " + cqlPort);
    }
  }

  /** A temporary directory, free ports, the default heap and timeout. */
  public static EmbeddedCassandraSettings defaults() {
    return new EmbeddedCassandraSettings(Optional.empty(), DEFAULT_MAX_HEAP, 0, 0, DEFAULT_START_TIMEOUT, List.of());
  }

  public EmbeddedCassandraSettings withDataDir(Path dir) {
    return new EmbeddedCassandraSettings(Optional.of(dir), maxHeap, cqlPort, storagePort, startTimeout, extraJvmOptions);
  }

  public EmbeddedCassandraSettings withMaxHeap(String heap) {
    return new EmbeddedCassandraSettings(dataDir, heap, cqlPort, storagePort, startTimeout, extraJvmOptions);
  }
}
