package dev.kos.analytics.job;

import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.ClasspathListing;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * control-bus's {@code KafkaBrokerExtension} for this module: one real Kafka 4.3.1 broker per test
 * JVM, resolved as {@code @BootstrapServers String}. {@link EmbeddedKafka} forks the broker with the
 * classpath in {@code java.class.path}, and this JVM's classpath has kafka-clients 3.4 for Spark,
 * on which the broker does not run; so the broker is forked with the classpath that
 * kos-kafka-broker-runtime lists (kos-control-bus's runtime classpath), set in that property for
 * the moment of the fork.
 */
final class KafkaBrokerOnItsOwnClasspath implements ParameterResolver {

  private static final String LISTING = "/dev/kos/analytics/job/broker/kafka-broker.classpath";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerOnItsOwnClasspath.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == String.class && parameter.isAnnotated(BootstrapServers.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", key -> start(EmbeddedKafkaSettings.defaults()), EmbeddedKafka.class).bootstrapServers();
  }

  /** Starts a broker with the broker runtime's classpath; the benchmark uses it too. */
  static synchronized EmbeddedKafka start(EmbeddedKafkaSettings settings) {
    String ownClasspath = System.getProperty("java.class.path");
    System.setProperty("java.class.path", ClasspathListing.read(LISTING, "analytics-job/kafka-broker-runtime"));
    try {
      // A shared 2-core machine can take over a minute to start a broker.
      return EmbeddedKafka.start(settings.withStartTimeout(Duration.ofSeconds(120)));
    } finally {
      System.setProperty("java.class.path", ownClasspath);
    }
  }
}
