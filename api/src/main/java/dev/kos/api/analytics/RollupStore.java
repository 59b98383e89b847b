package dev.kos.api.analytics;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.bus.client.ClientProblem;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra rollups the API's analytics routes read, through the queries {@code kos analytics} runs
 * ({@link RollupQueries}). The session is opened on the first request, not at start, so the API starts (and serves
 * everything else) while Cassandra is still starting or away; a failed open is tried again on the next request.
 */
public final class RollupStore implements AutoCloseable {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(RollupStore.class);

  private final List<InetSocketAddress> contactPoints;
  private final String keyspace;
  private CqlSession session;
  private RollupQueries queries;

  private RollupStore(List<InetSocketAddress> contactPoints, String keyspace) {
    this.contactPoints = contactPoints;
    this.keyspace = keyspace;
  }

  /**
   * @param contactPoints {@code host:port,...}
   * @throws IllegalArgumentException for contact points or a keyspace that cannot be used, with the reason
   */
  public static RollupStore of(String contactPoints, String keyspace) {
    return new RollupStore(ContactPoints.parse(contactPoints), SchemaSettings.requireValidKeyspace(keyspace));
  }

  /**
   * The queries, the session opened if it is not yet.
   *
   * @throws ClientProblem (the API answers 503) when Cassandra does not answer or holds no rollup tables yet
   */
  public synchronized RollupQueries queries() {
    if (queries != null) {
      return queries;
    }
    try {
      if (session == null) {
        session = CassandraSessions.open(contactPoints, REQUEST_TIMEOUT);
        log.info("Reading rollups from keyspace {} at {}", keyspace, where());
      }
      queries = new RollupQueries(session, keyspace);
      return queries;
    } catch (AllNodesFailedException e) {
      throw new ClientProblem("the rollup store (Cassandra at " + where() + ") does not answer: " + e.getMessage());
    } catch (InvalidQueryException e) {
      throw new ClientProblem("no rollup tables in keyspace " + keyspace + " at " + where() + " (" + e.getMessage()
          + "); `kos analytics run` makes and fills them");
    } catch (DriverException e) {
      throw new ClientProblem("the rollup store (Cassandra at " + where() + ") failed: " + e.getMessage());
    }
  }

  /** Where the rollups are, for messages: {@code host:port,... keyspace K}. */
  public String where() {
    return ContactPoints.format(contactPoints) + ", keyspace " + keyspace;
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
      session = null;
      queries = null;
    }
  }
}
