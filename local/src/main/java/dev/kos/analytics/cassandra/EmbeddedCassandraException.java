package dev.kos.analytics.cassandra;

/** The embedded Cassandra node could not start; the message says why and where its log is. */
public final class EmbeddedCassandraException extends RuntimeException {

  public EmbeddedCassandraException(String message) {
    super(message);
  }

  public EmbeddedCassandraException(String message, Throwable cause) {
    super(message, cause);
  }
}
