package dev.kos.bus.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to launch an {@link EmbeddedKafka}. Start from {@link #defaults()} and change what you need.
 *
 * @param dataDir kept across restarts when given; when empty a temporary directory is used and
 *     deleted on close
 * @param ports requested ports; a zero port is the one recorded in the data directory, or free
 * @param maxHeap the broker JVM's {@code -Xmx} value, e.g. {@code 512m}
 * @param startTimeout how long to wait for the broker to answer before giving up
 * @param extraJvmOptions appended to the broker JVM's options, e.g. {@code -XX:+UseSerialGC}
 */
public record EmbeddedKafkaSettings(
    Optional<Path> dataDir,
    BrokerPorts ports,
    String maxHeap,
    Duration startTimeout,
    List<String> extraJvmOptions) {

  public static final String DEFAULT_MAX_HEAP = "512m";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern HEAP_SIZE = Pattern.compile("\\d+[kKmMgG]?");

  public EmbeddedKafkaSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(ports, "ports");
    if (!HEAP_SIZE.matcher(maxHeap).matches()) {
      throw new IllegalArgumentException("maxHeap must look like 512m or 2g, was: " + maxHeap);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, was: " + startTimeout);
    }
    extraJvmOptions = List.copyOf(extraJvmOptions);
  }

  /** A temporary data directory, free ports, 512 MB heap, 60 s start timeout. */
  public static EmbeddedKafkaSettings defaults() {
    return new EmbeddedKafkaSettings(Optional.empty(), BrokerPorts.ANY, DEFAULT_MAX_HEAP, DEFAULT_START_TIMEOUT, List.of());
  }

  public EmbeddedKafkaSettings withDataDir(Path dir) {
    return new EmbeddedKafkaSettings(Optional.of(dir), ports, maxHeap, startTimeout, extraJvmOptions);
  }

  public EmbeddedKafkaSettings withPorts(BrokerPorts newPorts) {
    return new EmbeddedKafkaSettings(dataDir, newPorts, maxHeap, startTimeout, extraJvmOptions);
  }

  public EmbeddedKafkaSettings withMaxHeap(String heap) {
    return new EmbeddedKafkaSettings(dataDir, ports, heap, startTimeout, extraJvmOptions);
  }

  public EmbeddedKafkaSettings withStartTimeout(Duration timeout) {
    return new EmbeddedKafkaSettings(dataDir, ports, maxHeap, timeout, extraJvmOptions);
  }

  public EmbeddedKafkaSettings withExtraJvmOptions(List<String> options) {
    return new EmbeddedKafkaSettings(dataDir, ports, maxHeap, startTimeout, options);
  }
}
