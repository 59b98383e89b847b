package dev.kos.analytics.cassandra;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One attempt to query a starting node over CQL, as the launcher's caller opens sessions (analytics'
 * {@code CassandraSessions.probe}): the launcher has no driver of its own, and knows the node is up when this
 * answers.
 */
@FunctionalInterface
public interface CqlProbe {

  /** Empty when the node at {@code cql} answers a query; otherwise why it did not. */
  Optional<String> problem(InetSocketAddress cql);
}
