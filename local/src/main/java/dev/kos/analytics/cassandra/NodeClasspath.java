package dev.kos.analytics.cassandra;

import dev.kos.analytics.cassandra.node.CassandraNodeMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The forked node's classpath: the kos-cassandra-runtime jar (its entry point) plus the jars of
 * {@code cassandra-all} that the build listed in {@code cassandra.classpath}, relative to the
 * local Maven repository ({@code M2_REPO}). Cassandra is never on this JVM's classpath.
 */
final class NodeClasspath {

  static final String LISTING = "/dev/kos/analytics/cassandra/node/cassandra.classpath";
  static final String REPO_PLACEHOLDER = "M2_REPO";

  private NodeClasspath() {}

  /** The local repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
  static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  static String resolve(Path localRepository) {
    List<String> entries = new ArrayList<>();
    entries.add(entryPointLocation().toString());
    for (String entry : readListing().split(":")) {
      if (entry.isBlank()) {
        continue;
      }
      Path jar = Path.of(entry.strip().replace(REPO_PLACEHOLDER, localRepository.toString()));
      if (!Files.isRegularFile(jar)) {
        throw new EmbeddedCassandraException("Cassandra's jar " + jar + " is missing. Fetch Cassandra's jars once with "
            + "'./mvnw -pl analytics/cassandra-runtime install' (online), or point -Dmaven.repo.local at the "
            + "repository that holds them.");
      }
      entries.add(jar.toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static String readListing() {
    try (InputStream in = NodeClasspath.class.getResourceAsStream(LISTING)) {
      if (in == null) {
        throw new EmbeddedCassandraException("No " + LISTING + " on the classpath: kos-cassandra-runtime was built "
            + "without its dependency listing; rebuild it with './mvnw -pl analytics/cassandra-runtime install'.");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + LISTING, e);
    }
  }

  private static Path entryPointLocation() {
    try {
      return Path.of(CassandraNodeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the kos-cassandra-runtime jar", e);
    }
  }
}
