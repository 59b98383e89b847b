package dev.kos.analytics.store;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code schema.cql} (every statement {@code IF NOT EXISTS}, so applying it again changes
 * nothing) with the keyspace, replication and TTL filled in.
 */
public final class SchemaInstaller {

  static final String SCHEMA_RESOURCE = "/dev/kos/analytics/schema.cql";
  private static final Logger log = LoggerFactory.getLogger(SchemaInstaller.class);

  private SchemaInstaller() {}

  public static void install(CqlSession session, SchemaSettings settings) {
    List<String> statements = statements(schemaCql(), settings);
    for (String statement : statements) {
      session.execute(statement);
    }
    log.info("Rollup schema ensured in keyspace {} ({} statements)", settings.keyspace(), statements.size());
  }

  /** The schema's statements, placeholders filled in, comments dropped. */
  static List<String> statements(String cql, SchemaSettings settings) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : cql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    String filled = withoutComments.toString()
        .replace("${keyspace}", settings.keyspace())
        .replace("${replication}", settings.replication())
        .replace("${ttl}", Long.toString(settings.ttl().toSeconds()));
    List<String> statements = new ArrayList<>();
    for (String statement : filled.split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }

  static String schemaCql() {
    try (InputStream in = SchemaInstaller.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the kos-analytics jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
    }
  }
}
