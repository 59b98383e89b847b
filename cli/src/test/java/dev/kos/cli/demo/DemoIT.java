package dev.kos.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.analytics.query.HttpSummary;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.testing.CassandraContactPoint;
import dev.kos.analytics.testing.CassandraNodeExtension;
import dev.kos.analytics.testing.TestKeyspaces;
import dev.kos.agent.testing.DebianPackages;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.Kos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kos demo` headless, end to end: its own broker, allocator, agents and frameworks, the test JVM's
 * Cassandra node, the Spark rollup on kos. Checks what the story claims against the systems themselves:
 * the access-log lines on kos.logs are those the first traffic got answers for; the scale and the
 * autoscaler's decision were reached; the rollup's job waited while the batch roles were held back and
 * then ran its executors as kos tasks; the rollup in Cassandra counts exactly the access lines, by status
 * class; the stateful service read its count back from its volume on the same agent; and no task of the
 * demo (the Spark driver and executors included) outlives it.
 */
@ExtendWith(CassandraNodeExtension.class)
class DemoIT {

  @TempDir
  Path dir;

  /** The demo's last step runs a container when the host can: make it able to, as the test command does. */
  @BeforeAll
  static void installTheContainerRuntime() throws Exception {
    DebianPackages.ensure(Map.of("runc", "runc", "busybox", "busybox-static"));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void shouldTellTheWholeStoryAndLeaveNothingRunning(@CassandraContactPoint String cassandra) throws Exception {
    String keyspace = TestKeyspaces.fresh("demo");
    Path report = dir.resolve("report.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = Kos.run(Map.of("KOS_HOME", dir.resolve("home").toString()), new PrintWriter(out, true),
        new PrintWriter(err, true), "demo", "--cassandra", cassandra, "--keyspace", keyspace,
        "--traffic-seconds", "5", "--report", report.toString(), "--verbose");

    assertThat(exit).as("exit code; out:%n%s%nerr:%n%s", out, err).isZero();
    assertThat(out.toString()).contains("[1/10]", "[10/10]", "kos demo: stopped");
    JsonNode outcome = new ObjectMapper().readTree(report.toFile());
    JsonNode byStatus = outcome.path("traffic").path("byStatus");
    long answered = byStatus.path("200").asLong() + byStatus.path("404").asLong() + byStatus.path("500").asLong();
    assertThat(answered).as("answered requests").isPositive();
    assertThat(outcome.path("accessLines").asLong()).isEqualTo(answered);

    // The rollup ran on kos after the traffic of steps 2 and 5: it counts every access line on kos.logs.
    JsonNode lines = outcome.path("accessLinesByStatus");
    long allLines = lines.path("2xx").asLong() + lines.path("4xx").asLong() + lines.path("5xx").asLong();
    assertThat(allLines).as("access lines of both traffic steps: %s", lines).isGreaterThan(answered);
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra), Duration.ofSeconds(20))) {
      HttpSummary web = new RollupQueries(session, keyspace).http(DemoStory.WEB,
          Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofMinutes(1)));
      assertThat(web.requests()).as("requests rolled up").isEqualTo(allLines);
      assertThat(web.status2xx()).isEqualTo(lines.path("2xx").asLong());
      assertThat(web.status4xx()).isEqualTo(lines.path("4xx").asLong());
      assertThat(web.status5xx()).isEqualTo(lines.path("5xx").asLong());
      assertThat(web.status3xx()).isZero();
    }
    assertThat(outcome.path("rolledUpRequests").asLong()).isEqualTo(allLines);
    assertThat(outcome.path("scaledTo").asInt()).isEqualTo(5);
    assertThat(outcome.path("autoscaledFrom").asInt()).isEqualTo(5);
    assertThat(outcome.path("autoscaledTo").asInt()).isGreaterThan(5).isLessThanOrEqualTo(8);
    assertThat(outcome.path("jobWaiting").asText()).contains("role jobs is held back", "80% threshold");
    assertThat(outcome.path("executorAgents")).as("the rollup's executors: kos tasks on the demo's agents")
        .isNotEmpty().allSatisfy(agent -> assertThat(agent.asText()).startsWith("local-"));
    assertThat(outcome.path("dbStarts").asInt()).as("start number read back from the volume").isEqualTo(2);
    assertThat(outcome.path("dbSameAgent").asBoolean()).isTrue();
    assertThat(outcome.path("helloRanAs").asText()).as("runc and busybox-static are installed here")
        .isEqualTo("container");
    assertThat(out.toString()).contains("GET / -> 200 " + DemoImage.PAGE.strip());

    TestBus.await("no demo task left running", () -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").contains(DemoWebService.class.getName())
            || p.info().commandLine().orElse("").equals("sleep 3600")
            || p.info().commandLine().orElse("").startsWith("httpd -f -p")
            || p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")
            || p.info().commandLine().orElse("").contains("dev.kos.analytics.job.LaunchMain")));
  }
}
