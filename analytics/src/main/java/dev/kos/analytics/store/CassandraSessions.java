package dev.kos.analytics.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.internal.core.loadbalancing.DcInferringLoadBalancingPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Opens driver sessions to the rollup store the way every kos component does. */
public final class CassandraSessions {

  private CassandraSessions() {}

  /**
   * A session to the cluster behind {@code contactPoints}. The local data center is inferred from
   * the contact points, so users name only {@code host:port}. Throws the driver's
   * {@code AllNodesFailedException} when no contact point answers.
   */
  public static CqlSession open(List<InetSocketAddress> contactPoints, Duration requestTimeout) {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withClass(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, DcInferringLoadBalancingPolicy.class)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, requestTimeout)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, requestTimeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, requestTimeout)
        // Schema DDL on a single node must not wait for peers that do not exist.
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, requestTimeout)
        .build();
    return CqlSession.builder()
        .addContactPoints(contactPoints.stream().map(CassandraSessions::resolved).toList())
        .withConfigLoader(config)
        .build();
  }

  /**
   * One query to the node at {@code cql}: empty when it answers, otherwise why it did not. The embedded
   * launcher's readiness check ({@code EmbeddedCassandra.start(settings, CassandraSessions::probe)}).
   */
  public static Optional<String> probe(InetSocketAddress cql) {
    try (CqlSession session = open(List.of(cql), Duration.ofSeconds(5))) {
      session.execute("SELECT release_version FROM system.local");
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static InetSocketAddress resolved(InetSocketAddress point) {
    return point.isUnresolved() ? new InetSocketAddress(point.getHostString(), point.getPort()) : point;
  }
}
