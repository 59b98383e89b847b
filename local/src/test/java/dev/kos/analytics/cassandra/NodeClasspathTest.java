package dev.kos.analytics.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeClasspathTest {

  @Test
  void shouldListTheEntryPointAndCassandrasJarsFromTheLocalRepository() {
    String[] entries = NodeClasspath.resolve(NodeClasspath.localRepository()).split(File.pathSeparator);

    assertThat(entries[0]).as("the entry point comes first").contains("cassandra-runtime");
    assertThat(Arrays.stream(entries).skip(1)).allMatch(entry -> entry.startsWith(NodeClasspath.localRepository().toString()))
        .anyMatch(entry -> entry.endsWith("cassandra-all-5.0.6.jar"))
        .noneMatch(entry -> entry.contains("java-driver-core-4"))
        .noneMatch(entry -> entry.contains("logback-classic-1.5"));
  }

  @Test
  void shouldSayHowToFetchJarsThatAreMissing(@TempDir Path emptyRepository) {
    assertThatThrownBy(() -> NodeClasspath.resolve(emptyRepository))
        .isInstanceOf(EmbeddedCassandraException.class)
        .hasMessageContaining("is missing")
        .hasMessageContaining("./mvnw -pl analytics/cassandra-runtime install");
  }
}
