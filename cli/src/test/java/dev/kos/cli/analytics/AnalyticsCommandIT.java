package dev.kos.cli.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.store.SchemaInstaller;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.analytics.testing.CassandraContactPoint;
import dev.kos.analytics.testing.CassandraNodeExtension;
import dev.kos.analytics.testing.RollupRowWriter;
import dev.kos.analytics.testing.TestKeyspaces;
import dev.kos.cli.Kos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `kos analytics` on a real node, the environment naming it as `kos up --analytics` would. */
@ExtendWith(CassandraNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsCommandIT {

  /** Rows a few minutes old, so the commands' default windows (-1h, 1h, 1d) hold them. */
  private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));

  @TempDir
  Path home;

  private String contactPoint;
  private String keyspace;

  private record Result(int exitCode, String out, String err) {}

  @BeforeAll
  void writeRollups(@CassandraContactPoint String contactPoint) {
    this.contactPoint = contactPoint;
    this.keyspace = TestKeyspaces.fresh("cli");
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(contactPoint), Duration.ofSeconds(20))) {
      SchemaInstaller.install(session, SchemaSettings.forKeyspace(keyspace));
      RollupRowWriter rows = new RollupRowWriter(session, keyspace);
      rows.appMinute("web", minute, 1, new AppCounts(10, 1_000, 0, 1, 0, 9, 0, 0, 10, 0, 0,
          8, 6, 0, 1, 1, Map.of(3, 4L, 12, 3L, 300, 1L)));
      rows.appMinute("web", minute, 2, new AppCounts(5, 500, 1, 2, 0, 3, 0, 0, 5, 0, 0,
          0, 0, 0, 0, 0, Map.of()));
      rows.appMinute("worker", minute, 2, new AppCounts(7, 700, 0, 7, 0, 0, 0, 0, 0, 7, 0,
          0, 0, 0, 0, 0, Map.of()));
    }
  }

  private Result kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = Map.of("KOS_HOME", home.toString(), "KOS_CASSANDRA", contactPoint, "KOS_KEYSPACE", keyspace);
    int code = Kos.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void shouldPrintAMinuteRowSummingThePartialRows() {
    Result result = kos("analytics", "rollup", "--app", "web");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(2);
    assertThat(result.out().lines().findFirst().orElseThrow().split("\\s+")).startsWith("MINUTE", "LINES", "BYTES", "ERROR");
    assertThat(result.out().lines().skip(1).findFirst().orElseThrow().split("\\s+"))
        .containsExactly(minute.toString(), "15", "1500", "3", "0", "12", "0", "0", "1", "8", "6", "0", "1", "1",
            "3", "300", "300");
  }

  @Test
  void shouldPrintJsonForScripts() throws Exception {
    Result result = kos("analytics", "rollup", "--app", "web", "--by", "hour", "--json");

    JsonNode rows = new ObjectMapper().readTree(result.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("lines").asLong()).isEqualTo(15);
    assertThat(rows.get(0).get("latencyMs").get("p50").asInt()).isEqualTo(3);
    assertThat(rows.get(0).get("latencyHistogram").get("12").asLong()).isEqualTo(3);
  }

  @Test
  void shouldRankAppsByErrors() {
    Result result = kos("analytics", "top", "--metric", "errors", "--since", "1d");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().map(line -> line.split("\\s+")[0] + "=" + line.split("\\s+")[1]))
        .containsExactly("APP=ERRORS", "worker=7", "web=3");
  }

  @Test
  void shouldSummariseHttp() throws Exception {
    JsonNode http = new ObjectMapper().readTree(kos("analytics", "http", "--app", "web", "--json").out());

    assertThat(http.get("requests").asLong()).isEqualTo(8);
    assertThat(http.get("status").get("5xx").asLong()).isEqualTo(1);
    assertThat(http.get("latencyMs").get("p95").asInt()).isEqualTo(300);
    assertThat(kos("analytics", "http", "--app", "nobody").out()).contains("nobody", "-");
  }
}
