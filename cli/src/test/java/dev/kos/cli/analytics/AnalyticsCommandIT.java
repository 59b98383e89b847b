package dev.kos.cli.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.analytics.query.AgentUsage;
import dev.kos.analytics.query.AppCounts;
import dev.kos.api.analytics.RollupStore;
import dev.kos.api.http.AnalyticsRoutes;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `kos analytics` on a real node, the environment naming it as `kos up --analytics` would. */
@ExtendWith(CassandraNodeExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
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
      rows.agentMinute(minute, 1, new AgentUsage("web", "a1", 2, 1.0, 0.75, 200, 120));
      rows.agentMinute(minute, 2, new AgentUsage("web", "a1", 1, 0.5, 0.5, 90, 90));
      rows.agentMinute(minute, 2, new AgentUsage("jobs", "a1", 4, 2.0, 1.0, 400, 150));
      rows.agentMinute(minute, 2, new AgentUsage("web", "a2", 3, 3.0, 1.0, 30, 10));
    }
    // The API's analytics routes on a server of their own (the API's needs a bus), on these rollups, and on none.
    api = Javalin.create(config -> new AnalyticsRoutes(Optional.of(RollupStore.of(contactPoint, keyspace)),
        Clock.systemUTC(), app -> false, agent -> agent.equals("idle"))
        .handlers().forEach((path, handler) -> config.routes.get(path, handler))).start("127.0.0.1", 0);
    noStore = Javalin.create(config -> new AnalyticsRoutes(Optional.empty(), Clock.systemUTC(), app -> true,
        agent -> true).handlers().forEach((path, handler) -> config.routes.get(path, handler))).start("127.0.0.1", 0);
  }

  @AfterAll
  void stopServers() {
    api.stop();
    noStore.stop();
  }

  private Javalin api;
  private Javalin noStore;

  private record Answer(int status, JsonNode body) {}

  private Answer get(Javalin server, String pathAndQuery) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), new ObjectMapper().readTree(response.body()));
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
  void shouldRankAppsByRequestsOverTheApi() throws Exception {
    Answer top = get(api, AnalyticsRoutes.TOP_APPS + "?from=-1h");
    Answer lines = get(api, AnalyticsRoutes.TOP_APPS + "?metric=lines&from=-1h&limit=1");

    assertThat(top.status()).as(top.body().toString()).isEqualTo(200);
    assertThat(top.body().get("metric").asText()).isEqualTo("requests");
    assertThat(top.body().get("apps").toString()).as("worker has no requests").isEqualTo("[{\"app\":\"web\",\"value\":8}]");
    assertThat(lines.body().get("apps").toString()).isEqualTo("[{\"app\":\"web\",\"value\":15}]");
    Answer zero = get(api, AnalyticsRoutes.TOP_APPS + "?limit=0");
    assertThat(zero.status()).isEqualTo(400);
    assertThat(zero.body().get("reason").asText()).isEqualTo("limit is 1 to 1000, not 0");
    assertThat(get(noStore, AnalyticsRoutes.TOP_APPS).status()).isEqualTo(503);
  }

  @Test
  void shouldAnswerAnAppsRequestsOverTheApi() throws Exception {
    Answer answer = get(api, AnalyticsRoutes.REQUESTS + "?app=web&from=-1h&granularity=minute");

    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    JsonNode buckets = answer.body().get("buckets");
    assertThat(buckets).hasSize(1);
    assertThat(buckets.get(0).get("start").asText()).isEqualTo(minute.toString());
    assertThat(buckets.get(0).get("lines").asLong()).isEqualTo(15);
    assertThat(buckets.get(0).get("requests").asLong()).isEqualTo(8);
    assertThat(buckets.get(0).get("status").toString()).isEqualTo("{\"2xx\":6,\"3xx\":0,\"4xx\":1,\"5xx\":1}");
    assertThat(buckets.get(0).get("latencyMs").toString()).isEqualTo("{\"p50\":3,\"p95\":300,\"p99\":300}");
    Answer nobody = get(api, AnalyticsRoutes.REQUESTS + "?app=nobody");
    assertThat(nobody.status()).isEqualTo(404);
    assertThat(nobody.body().get("reason").asText()).startsWith("no app nobody: not in the cluster");
  }

  @Test
  void shouldAnswerAnAgentsUsageOverTheApiAndTheCli() throws Exception {
    Answer answer = get(api, AnalyticsRoutes.AGENT_USAGE + "?agent=a1&from=-1h&granularity=hour");

    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    JsonNode buckets = answer.body().get("buckets");
    assertThat(buckets).hasSize(1);
    assertThat(buckets.get(0).get("start").asText()).isEqualTo(minute.truncatedTo(ChronoUnit.HOURS).toString());
    assertThat(buckets.get(0).get("roles").toString()).isEqualTo("["
        + "{\"role\":\"jobs\",\"samples\":4,\"cpuCores\":{\"avg\":0.5,\"max\":1.0},\"memMiB\":{\"avg\":100.0,\"max\":150.0}},"
        + "{\"role\":\"web\",\"samples\":3,\"cpuCores\":{\"avg\":0.5,\"max\":0.75},\"memMiB\":{\"avg\":"
        + (290.0 / 3) + ",\"max\":120.0}}]");
    assertThat(new ObjectMapper().readTree(kos("analytics", "usage", "--agent", "a1", "--by", "hour", "--json").out()))
        .isEqualTo(buckets);
    assertThat(kos("analytics", "usage", "--agent", "a2").out().lines().skip(1).findFirst().orElseThrow().split("\\s+"))
        .containsExactly(minute.toString(), "web", "3", "1.00", "1.00", "10.00", "10.00");

    assertThat(get(api, AnalyticsRoutes.AGENT_USAGE + "?agent=ghost").status()).isEqualTo(404);
    Answer idle = get(api, AnalyticsRoutes.AGENT_USAGE + "?agent=idle");
    assertThat(idle.status()).as("an agent of the cluster without samples").isEqualTo(200);
    assertThat(idle.body().get("buckets")).isEmpty();
    assertThat(get(api, AnalyticsRoutes.AGENT_USAGE + "?from=-1h").body().get("reason").asText())
        .startsWith("name the agent");
    Answer unserved = get(noStore, AnalyticsRoutes.AGENT_USAGE + "?agent=a1");
    assertThat(unserved.status()).isEqualTo(503);
    assertThat(unserved.body().get("reason").asText()).startsWith("this API reads no analytics rollups");
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
