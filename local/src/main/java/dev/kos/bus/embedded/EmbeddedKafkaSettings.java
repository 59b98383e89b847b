package dev.kos.bus.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * @param serverOverrides merged over the generated {@code server.properties} at every start, e.g.
 *     SASL and ACL settings from {@link SaslPlainSetup}; the settings kos derives from ports and
 *     data directory ({@link ServerProperties#DERIVED_BY_KOS}) cannot be overridden
 * @param clientConfig security settings ({@code security.protocol}, {@code sasl.*}) that the
 *     launcher's own clients need to reach the broker listener, e.g. to see that it is ready
 */
public record EmbeddedKafkaSettings(
    Optional<Path> dataDir,
    BrokerPorts ports,
    String maxHeap,
    Duration startTimeout,
    List<String> extraJvmOptions,
    Map<String, String> serverOverrides,
    Map<String, String> clientConfig) {

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
    serverOverrides = Map.copyOf(serverOverrides);
    clientConfig = Map.copyOf(clientConfig);
    Set<String> derived = new TreeSet<>(serverOverrides.keySet());
    derived.retainAll(ServerProperties.DERIVED_BY_KOS);
    if (!derived.isEmpty()) {
      throw new IllegalArgumentException(
          "serverOverrides cannot set " + derived + ": kos derives them from the node id, ports and data directory");
    }
  }

  /** A temporary data directory, free ports, 512 MB heap, 60 s start timeout, no security. */
  public static EmbeddedKafkaSettings defaults() {
    return new EmbeddedKafkaSettings(
        Optional.empty(), BrokerPorts.ANY, DEFAULT_MAX_HEAP, DEFAULT_START_TIMEOUT, List.of(), Map.of(), Map.of());
  }

  public EmbeddedKafkaSettings withDataDir(Path dir) {
    return new EmbeddedKafkaSettings(
        Optional.of(dir), ports, maxHeap, startTimeout, extraJvmOptions, serverOverrides, clientConfig);
  }

  public EmbeddedKafkaSettings withPorts(BrokerPorts newPorts) {
    return new EmbeddedKafkaSettings(
        dataDir, newPorts, maxHeap, startTimeout, extraJvmOptions, serverOverrides, clientConfig);
  }

  public EmbeddedKafkaSettings withMaxHeap(String heap) {
    return new EmbeddedKafkaSettings(
        dataDir, ports, heap, startTimeout, extraJvmOptions, serverOverrides, clientConfig);
  }

  public EmbeddedKafkaSettings withStartTimeout(Duration timeout) {
    return new EmbeddedKafkaSettings(
        dataDir, ports, maxHeap, timeout, extraJvmOptions, serverOverrides, clientConfig);
  }

  public EmbeddedKafkaSettings withExtraJvmOptions(List<String> options) {
    return new EmbeddedKafkaSettings(
        dataDir, ports, maxHeap, startTimeout, options, serverOverrides, clientConfig);
  }

  public EmbeddedKafkaSettings withServerOverrides(Map<String, String> overrides) {
    return new EmbeddedKafkaSettings(
        dataDir, ports, maxHeap, startTimeout, extraJvmOptions, overrides, clientConfig);
  }

  public EmbeddedKafkaSettings withClientConfig(Map<String, String> config) {
    return new EmbeddedKafkaSettings(
        dataDir, ports, maxHeap, startTimeout, extraJvmOptions, serverOverrides, config);
  }
}
