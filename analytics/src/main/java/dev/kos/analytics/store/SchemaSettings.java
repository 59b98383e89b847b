package dev.kos.analytics.store;

import java.time.Duration;

/**
 * Where and how long the rollups are kept.
 *
 * @param keyspace the keyspace holding the rollup tables
 * @param replication the keyspace's replication map, as CQL
 * @param ttl how long a rollup row lives; zero keeps rows forever
 */
public record SchemaSettings(String keyspace, String replication, Duration ttl) {

  public static final String DEFAULT_KEYSPACE = "kos_analytics";
  public static final String DEFAULT_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);

  public SchemaSettings {
    requireValidKeyspace(keyspace);
    if (!replication.strip().startsWith("{") || !replication.strip().endsWith("}") || replication.contains(";")) {
      throw new IllegalArgumentException("replication must be a CQL map like " + DEFAULT_REPLICATION + ", got " + replication);
    }
    if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ttl must be within 0 s..68 years (0: forever), got " + ttl);
    }
  }

  public static SchemaSettings defaults() {
    return new SchemaSettings(DEFAULT_KEYSPACE, DEFAULT_REPLICATION, DEFAULT_TTL);
  }

  public static SchemaSettings forKeyspace(String keyspace) {
    return new SchemaSettings(keyspace, DEFAULT_REPLICATION, DEFAULT_TTL);
  }

  /** CQL identifiers kos writes unquoted: a letter, then letters, digits, underscores, at most 48. */
  public static String requireValidKeyspace(String keyspace) {
    if (keyspace == null || !keyspace.matches("[A-Za-z][A-Za-z0-9_]{0,47}")) {
      throw new IllegalArgumentException("keyspace must be a letter then up to 47 letters, digits or underscores, got '"
          + keyspace + "'");
    }
    return keyspace;
  }
}
