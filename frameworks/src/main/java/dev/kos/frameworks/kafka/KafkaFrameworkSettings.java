package dev.kos.frameworks.kafka;

import dev.kos.frameworks.kafka.core.BrokerVersions;
import dev.kos.frameworks.kafka.core.KafkaVersion;
import dev.kos.frameworks.kafka.core.SelfHealing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * How the kafka framework runs its brokers.
 *
 * @param kafkaVersion the Kafka release a new cluster runs unless its create command names another
 * @param kafkaClasspaths the classpath of each Kafka release broker tasks can run (its kafka_2.13 jars and their
 *     dependencies, Logback included): what {@code create --version} and {@code upgrade} may name
 * @param java the {@code java} executable broker tasks run
 * @param brokerJvmOptions extra JVM options of every broker (the heap is derived from the broker's mem)
 * @param observeInterval how often each cluster is read through the Admin API (health, partitions, progress)
 * @param metricsInterval how often per-broker samples go to {@code kos.metrics}
 * @param throttleBytesPerSecond the replication throttle while partitions move
 * @param rackAttribute the agent attribute whose value becomes a broker's {@code broker.rack}
 * @param healing how the framework heals clusters without an operator (how long a broker waits for its agent)
 */
public record KafkaFrameworkSettings(String frameworkId, String role, String kafkaVersion,
    Map<String, String> kafkaClasspaths, String java, List<String> brokerJvmOptions, Duration observeInterval,
    Duration metricsInterval, long throttleBytesPerSecond, String rackAttribute, SelfHealing healing) {

  public static final String FRAMEWORK_ID = "kafka";
  public static final String ROLE = "kafka";
  public static final long DEFAULT_THROTTLE = 10L * 1024 * 1024;
  /** Mesos's and DC/OS's fault-domain zone, as kos agents name it in their attributes. */
  public static final String DEFAULT_RACK_ATTRIBUTE = "zone";
  /** Serial GC and C1 only: small brokers on small, shared machines start faster and burn fewer cycles. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xss512k");

  public KafkaFrameworkSettings {
    kafkaClasspaths = Map.copyOf(new TreeMap<>(kafkaClasspaths));
    kafkaClasspaths.forEach((version, classpath) -> {
      KafkaVersion.parse(version);
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalArgumentException("no classpath for Kafka " + version + " brokers: pass "
            + "--kafka-version " + version + "=CLASSPATH with its kafka_2.13 jars");
      }
    });
    if (!kafkaClasspaths.containsKey(kafkaVersion)) {
      throw new IllegalArgumentException("no classpath for Kafka " + kafkaVersion + ", the default release");
    }
    if (throttleBytesPerSecond <= 0) {
      throw new IllegalArgumentException("the reassignment throttle must be positive bytes/s, was "
          + throttleBytesPerSecond);
    }
    brokerJvmOptions = List.copyOf(brokerJvmOptions);
    Objects.requireNonNull(healing, "healing");
  }

  /**
   * Brokers run this JVM's own java and Kafka release, from its own classpath, which holds the broker jars
   * wherever kos runs.
   */
  public static KafkaFrameworkSettings defaults() {
    String version = AppInfoParser.getVersion();
    return new KafkaFrameworkSettings(FRAMEWORK_ID, ROLE, version, Map.of(version,
        System.getProperty("java.class.path")), Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        DEFAULT_JVM_OPTIONS, Duration.ofSeconds(2), Duration.ofSeconds(10), DEFAULT_THROTTLE, DEFAULT_RACK_ATTRIBUTE,
        SelfHealing.DEFAULTS);
  }

  public BrokerVersions versions() {
    return new BrokerVersions(kafkaVersion, new TreeSet<>(kafkaClasspaths.keySet()));
  }

  /** The classpath of a release the core accepted: one of {@link #versions()}. */
  public String classpath(String version) {
    String classpath = kafkaClasspaths.get(version);
    if (classpath == null) {
      throw new IllegalArgumentException("no classpath for Kafka " + version + "; known: " + kafkaClasspaths.keySet());
    }
    return classpath;
  }

  /** These settings, able to run {@code version} from {@code classpath} too (or instead, for a known one). */
  public KafkaFrameworkSettings withKafka(String version, String classpath) {
    Map<String, String> classpaths = new TreeMap<>(kafkaClasspaths);
    classpaths.put(version, classpath);
    return new KafkaFrameworkSettings(frameworkId, role, kafkaVersion, classpaths, java, brokerJvmOptions,
        observeInterval, metricsInterval, throttleBytesPerSecond, rackAttribute, healing);
  }

  public KafkaFrameworkSettings withIntervals(Duration observe, Duration metrics) {
    return new KafkaFrameworkSettings(frameworkId, role, kafkaVersion, kafkaClasspaths, java, brokerJvmOptions,
        observe, metrics, throttleBytesPerSecond, rackAttribute, healing);
  }

  public KafkaFrameworkSettings withThrottle(long bytesPerSecond) {
    return new KafkaFrameworkSettings(frameworkId, role, kafkaVersion, kafkaClasspaths, java, brokerJvmOptions,
        observeInterval, metricsInterval, bytesPerSecond, rackAttribute, healing);
  }

  public KafkaFrameworkSettings withRackAttribute(String attribute) {
    return new KafkaFrameworkSettings(frameworkId, role, kafkaVersion, kafkaClasspaths, java, brokerJvmOptions,
        observeInterval, metricsInterval, throttleBytesPerSecond, attribute, healing);
  }

  public KafkaFrameworkSettings withHealing(SelfHealing next) {
    return new KafkaFrameworkSettings(frameworkId, role, kafkaVersion, kafkaClasspaths, java, brokerJvmOptions,
        observeInterval, metricsInterval, throttleBytesPerSecond, rackAttribute, next);
  }
}
