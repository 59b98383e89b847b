package dev.kos.cli.analytics;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.cli.common.FromEnvironment;
import dev.kos.cli.common.UsageProblem;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the rollups are: shared by every {@code kos analytics} command. Without {@code --cassandra}
 * the value comes from {@code KOS_CASSANDRA}, the config file or the cluster file that
 * {@code kos up --analytics} writes (key {@code cassandra}).
 */
public final class AnalyticsOptions {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final String HOW_TO_START = "start it with `kos up --analytics` or pass --cassandra host:port";

  @FromEnvironment
  @Option(names = "--cassandra", paramLabel = "HOST:PORT,...",
      description = "Cassandra contact points (env KOS_CASSANDRA; default: the cluster `kos up --analytics` started)")
  String cassandra;

  @FromEnvironment
  @Option(names = "--keyspace", paramLabel = "NAME", defaultValue = SchemaSettings.DEFAULT_KEYSPACE,
      description = "Keyspace of the rollup tables (env KOS_KEYSPACE; default: ${DEFAULT-VALUE})")
  String keyspace;

  /** A session to the rollup store, or a {@link UsageProblem} that says how to get one. */
  public CqlSession connect() {
    if (cassandra == null || cassandra.isBlank()) {
      throw new UsageProblem("no Cassandra to read rollups from; " + HOW_TO_START);
    }
    try {
      return CassandraSessions.open(ContactPoints.parse(cassandra), REQUEST_TIMEOUT);
    } catch (AllNodesFailedException e) {
      throw new UsageProblem("cannot reach Cassandra at " + cassandra + " (" + firstError(e) + "); " + HOW_TO_START);
    }
  }

  /** The queries on {@code session}; a missing keyspace or table means nothing was rolled up there yet. */
  public RollupQueries queries(CqlSession session) {
    try {
      return new RollupQueries(session, SchemaSettings.requireValidKeyspace(keyspace));
    } catch (InvalidQueryException e) {
      throw new UsageProblem("no rollup tables in keyspace " + keyspace + " at " + cassandra + " (" + e.getMessage()
          + "); `kos up --analytics` creates them, `kos analytics run` fills them");
    }
  }

  public String keyspace() {
    return keyspace;
  }

  public String contactPoints() {
    return cassandra;
  }

  private static String firstError(AllNodesFailedException e) {
    return e.getAllErrors().values().stream().flatMap(List::stream).findFirst()
        .map(Throwable::getMessage).orElse(e.getMessage());
  }
}
