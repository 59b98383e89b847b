package dev.kos.frameworks.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the kafka framework runs its brokers.
 *
 * @param kafkaClasspath the classpath broker tasks run with (the kafka_2.13 jars and their dependencies)
 * @param java the {@code java} executable broker tasks run
 * @param brokerJvmOptions extra JVM options of every broker (the heap is derived from the broker's mem)
 * @param observeInterval how often each cluster is read through the Admin API (health, partitions, progress)
 * @param metricsInterval how often per-broker samples go to {@code kos.metrics}
 * @param throttleBytesPerSecond the replication throttle while partitions move
 */
public record KafkaFrameworkSettings(String frameworkId, String role, String kafkaClasspath, String java,
    List<String> brokerJvmOptions, Duration observeInterval, Duration metricsInterval, long throttleBytesPerSecond) {

  public static final String FRAMEWORK_ID = "kafka";
  public static final String ROLE = "kafka";
  public static final long DEFAULT_THROTTLE = 10L * 1024 * 1024;
  /** Serial GC and C1 only: small brokers on small, shared machines start faster and burn fewer cycles. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xss512k");

  public KafkaFrameworkSettings {
    if (kafkaClasspath == null || kafkaClasspath.isBlank()) {
      throw new IllegalArgumentException("no classpath for broker tasks: pass --kafka-classpath with the "
          + "kafka_2.13 jars");
    }
    if (throttleBytesPerSecond <= 0) {
      throw new IllegalArgumentException("the reassignment throttle must be positive bytes/s, was "
          + throttleBytesPerSecond);
    }
    brokerJvmOptions = List.copyOf(brokerJvmOptions);
  }

  /** Brokers run with this JVM's own java and classpath, which holds the broker jars wherever kos runs. */
  public static KafkaFrameworkSettings defaults() {
    return new KafkaFrameworkSettings(FRAMEWORK_ID, ROLE, System.getProperty("java.class.path"),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), DEFAULT_JVM_OPTIONS,
        Duration.ofSeconds(2), Duration.ofSeconds(10), DEFAULT_THROTTLE);
  }
}
