package dev.kos.analytics.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddedCassandraSettingsTest {

  @ParameterizedTest(name = "heap {0}, cql {1}, storage {2}")
  @CsvSource({
      "512,  0,     0,     max heap must look like 512m",
      "1gb,  0,     0,     max heap must look like 512m",
      "512m, -1,    0,     ports must be within 0..65535",
      "512m, 0,     65536, ports must be within 0..65535",
      "512m, 9042,  9042,  the CQL and storage ports must differ"})
  void shouldRejectSettingsANodeCannotStartWith(String heap, int cql, int storage, String message) {
    assertThatThrownBy(() -> new EmbeddedCassandraSettings(Optional.empty(), heap, cql, storage, Duration.ofSeconds(1),
        List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void shouldWriteTheNodesFilesUnderItsDataDir() {
    CassandraLayout layout = new CassandraLayout(Path.of("/var/kos/cassandra"));

    String yaml = CassandraYaml.render(layout, new NodePorts(9142, 7100));

    assertThat(yaml).contains("native_transport_port: 9142", "storage_port: 7100", "seeds: \"127.0.0.1:7100\"",
        "commitlog_directory: /var/kos/cassandra/storage/commitlog", "listen_address: 127.0.0.1");
    assertThat(NodeLogbackConfig.render(layout.systemLog())).contains("<file>/var/kos/cassandra/logs/system.log</file>");
  }
}
