package dev.kos.bus.testing;

import dev.kos.bus.embedded.EmbeddedKafka;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a real Kafka broker: one per test JVM, started on first use and stopped
 * when the JVM's tests are done. Tests take it as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class MyIT {
 *   @Test
 *   void works(@BootstrapServers String bootstrap) { ... }
 * }
 * }</pre>
 *
 * <p>Set the system property {@value #BOOTSTRAP_PROPERTY} or the environment variable
 * {@value #BOOTSTRAP_ENV} to run against an existing cluster instead; tests that ask for the
 * {@link EmbeddedKafka} itself then fail to resolve their parameter, since there is none.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  public static final String BOOTSTRAP_PROPERTY = "kos.test.bootstrap.servers";
  public static final String BOOTSTRAP_ENV = "KOS_TEST_BOOTSTRAP_SERVERS";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  private static final String BROKER_KEY = "broker";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedKafka.class || (type == String.class && parameter.isAnnotated(BootstrapServers.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<String> external = externalBootstrapServers();
    if (parameter.getParameter().getType() == String.class) {
      return external.orElseGet(() -> broker(context).bootstrapServers());
    }
    if (external.isPresent()) {
      throw new ParameterResolutionException(
          "This test needs the embedded broker itself, but tests run against " + external.get()
              + " (" + BOOTSTRAP_PROPERTY + " / " + BOOTSTRAP_ENV + "); ask for @BootstrapServers String instead");
    }
    return broker(context);
  }

  /**
   * The root store closes AutoCloseable values when the whole test plan ends, so the broker
   * outlives test classes and is started only once per JVM.
   */
  private static EmbeddedKafka broker(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
        BROKER_KEY, key -> EmbeddedKafka.start(LeanTestJvm.broker()), EmbeddedKafka.class);
  }

  private static Optional<String> externalBootstrapServers() {
    return Optional.ofNullable(System.getProperty(BOOTSTRAP_PROPERTY))
        .or(() -> Optional.ofNullable(System.getenv(BOOTSTRAP_ENV)))
        .filter(value -> !value.isBlank());
  }
}
