package dev.kos.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInstallerTest {

  @Test
  void shouldFillEveryPlaceholderOfTheShippedSchema() {
    SchemaSettings settings = new SchemaSettings("ks1", "{'class': 'NetworkTopologyStrategy', 'dc1': 3}", Duration.ofDays(7));

    List<String> statements = SchemaInstaller.statements(SchemaInstaller.schemaCql(), settings);

    assertThat(statements).hasSize(6).noneMatch(statement -> statement.contains("${"))
        .allMatch(statement -> statement.contains("IF NOT EXISTS ks1"));
    assertThat(statements.get(0)).isEqualTo(
        "CREATE KEYSPACE IF NOT EXISTS ks1 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    assertThat(statements.get(1)).contains("default_time_to_live = 604800");
  }

  @Test
  void shouldDropCommentLinesEvenWhenTheyHoldSemicolons() {
    String cql = "-- a; comment\nCREATE TABLE ${keyspace}.t (k int PRIMARY KEY);\n  -- another;\n";

    assertThat(SchemaInstaller.statements(cql, SchemaSettings.forKeyspace("k")))
        .containsExactly("CREATE TABLE k.t (k int PRIMARY KEY)");
  }

  @Test
  void shouldRejectSettingsThatWouldInjectCql() {
    assertThatThrownBy(() -> SchemaSettings.forKeyspace("ks; DROP KEYSPACE x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace must be");
    assertThatThrownBy(() -> new SchemaSettings("ks", "{}; DROP", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replication must be");
  }
}
