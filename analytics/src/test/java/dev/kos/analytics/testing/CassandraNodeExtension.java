package dev.kos.analytics.testing;

import dev.kos.analytics.cassandra.EmbeddedCassandra;
import dev.kos.analytics.cassandra.EmbeddedCassandraSettings;
import dev.kos.analytics.store.CassandraSessions;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a real Cassandra node: one per test JVM, started on first use and
 * stopped when the JVM's tests are done. Tests take it as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(CassandraNodeExtension.class)
 * class MyIT {
 *   @Test
 *   void works(@CassandraContactPoint String contactPoint) { ... }
 * }
 * }</pre>
 *
 * <p>Tests share the node, so each should use its own keyspace ({@link TestKeyspaces}). Set the
 * system property {@value #CONTACT_POINTS_PROPERTY} or the environment variable
 * {@value #CONTACT_POINTS_ENV} to run against an existing cluster instead; tests that ask for the
 * {@link EmbeddedCassandra} itself then fail to resolve their parameter, since there is none.
 */
public final class CassandraNodeExtension implements ParameterResolver {

  public static final String CONTACT_POINTS_PROPERTY = "kos.test.cassandra";
  public static final String CONTACT_POINTS_ENV = "KOS_TEST_CASSANDRA";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraNodeExtension.class);
  private static final String NODE_KEY = "node";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedCassandra.class || (type == String.class && parameter.isAnnotated(CassandraContactPoint.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<String> external = externalContactPoints();
    if (parameter.getParameter().getType() == String.class) {
      return external.orElseGet(() -> node(context).contactPoint());
    }
    if (external.isPresent()) {
      throw new ParameterResolutionException(
          "This test needs the embedded node itself, but tests run against " + external.get()
              + " (" + CONTACT_POINTS_PROPERTY + " / " + CONTACT_POINTS_ENV + "); ask for @CassandraContactPoint String instead");
    }
    return node(context);
  }

  /**
   * The root store closes AutoCloseable values when the whole test plan ends, so the node outlives
   * test classes and is started only once per JVM.
   */
  private static EmbeddedCassandra node(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
        NODE_KEY, key -> EmbeddedCassandra.start(EmbeddedCassandraSettings.defaults(), CassandraSessions::probe), EmbeddedCassandra.class);
  }

  private static Optional<String> externalContactPoints() {
    return Optional.ofNullable(System.getProperty(CONTACT_POINTS_PROPERTY))
        .or(() -> Optional.ofNullable(System.getenv(CONTACT_POINTS_ENV)))
        .filter(value -> !value.isBlank());
  }
}
