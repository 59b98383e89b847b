package dev.kos.bus.testing;

import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import java.util.List;
import java.util.Map;

/**
 * How the test suite starts the JVMs it forks (brokers, kos processes): cheaply. Each of them lives for seconds to a
 * few minutes on a 2-core machine shared by two modules' tests at a time, so the CPU a JVM spends on itself — the C2
 * compiler's work, a parallel collector's threads — is taken from the system under test and lengthens every case. The
 * C1 compiler alone and the serial collector cut that without changing what the code does.
 */
public final class LeanTestJvm {

  /** JVM options for a short-lived forked process in a test. */
  public static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  private LeanTestJvm() {
  }

  /**
   * A test broker: {@link #OPTIONS}, and 3 partitions rather than Kafka's 50 for the consumer offsets and the
   * transaction state, whose creation at the first group join and the first transaction costs the broker seconds of
   * CPU for partitions no test uses.
   */
  public static EmbeddedKafkaSettings broker() {
    return EmbeddedKafkaSettings.defaults()
        .withExtraJvmOptions(OPTIONS)
        .withServerOverrides(Map.of("offsets.topic.num.partitions", "3", "transaction.state.log.num.partitions", "3"));
  }
}
