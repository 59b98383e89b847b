package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.bus.testing.LeanTestJvm;
import dev.kos.bus.testing.PrometheusPage;
import dev.kos.cli.common.KosHome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's story with real processes: `kos up` (broker, registry, allocator, two agents)
 * in one process; publish, events and topics from "another shell" that finds the cluster
 * through the cluster file alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KosUpIT {

  private static final Duration START_DEADLINE = Duration.ofSeconds(120);
  private static final Path EXAMPLE = Path.of("../examples/commands/scale-web.json");

  @TempDir
  static Path home;

  private static Process up;
  private static Path upOutput;
  private static Map<String, String> env;

  @BeforeAll
  static void kosUp() throws Exception {
    upOutput = home.resolve("up.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(LeanTestJvm.OPTIONS);
    command.addAll(List.of("-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")),
        "-cp", System.getProperty("java.class.path"), Kos.class.getName(), "up", "--api-port", "0"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(upOutput.toFile());
    builder.environment().put("KOS_HOME", home.toString());
    up = builder.start();
    env = Map.of("KOS_HOME", home.toString());
    Path clusterFile = KosHome.from(env).clusterFile();
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (!Files.exists(clusterFile)) {
      if (!up.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("kos up did not come up:\n" + Files.readString(upOutput));
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void shouldPublishTheExampleCommandAndReadItBack() {
    Result published = kos("publish", "kos.commands", "--json", EXAMPLE.toString());
    assertThat(published.exitCode()).as(published.err()).isZero();
    assertThat(published.out()).contains("published Command to kos.commands", "(key /web)");

    Result events = kos("events", "--topic", "kos.commands", "--from-beginning", "--max", "1", "--json");

    assertThat(events.exitCode()).as(events.err()).isZero();
    assertThat(events.out()).contains("\"commandId\":\"cmd-scale-web-5\"", "\"ScaleApp\":{\"appId\":\"/web\",\"instances\":5}");
  }

  @Test
  @Order(2)
  void shouldRefuseJsonThatViolatesTheSchemaNamingTheFieldAndType() throws Exception {
    Path bad = home.resolve("bad.json");
    Files.writeString(bad, Files.readString(EXAMPLE).replace("\"instances\": 5", "\"instances\": \"five\""));

    Result result = kos("publish", "kos.commands", "--json", bad.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("$.payload.ScaleApp.instances", "expected int", "\"five\"");
  }

  @Test
  @Order(3)
  void shouldListEveryTopicAsOk() {
    Result result = kos("topics");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("kos.placements", "kos.dead-letters").doesNotContain("missing");
  }

  @Test
  @Order(3)
  void shouldListEveryTopicAsOkInJsonWithNothingElseOnStdout() throws Exception {
    Result result = kos("topics", "--json");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    JsonNode topics = new ObjectMapper().readTree(result.out());
    assertThat(topics.get("allOk").asBoolean()).isTrue();
    assertThat(topics.get("newTopicsGet").asText()).contains("replication");
    assertThat(topics.get("topics").findValuesAsText("topic")).contains("kos.placements", "kos.dead-letters");
    assertThat(topics.get("topics").findValuesAsText("state")).containsOnly("ok");
  }

  @Test
  @Order(4)
  void shouldHaveItsLocalAgentsRegistered() {
    Result result = kos("events", "--topic", "agents", "--from-beginning", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("\"agentId\":\"local-1\"", "\"agentId\":\"local-2\"");
  }

  @Test
  @Order(5)
  void shouldServeTheApiWithTheAdminTokenItMade() throws Exception {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    java.util.regex.Matcher api = java.util.regex.Pattern.compile("API: +http://127.0.0.1:(\\d+)").matcher("");
    while (!api.reset(Files.readString(upOutput)).find()) {
      assertThat(System.nanoTime()).as("kos up names its API:\n" + Files.readString(upOutput)).isLessThan(deadline);
      Thread.sleep(200);
    }
    String token = Files.readString(home.resolve("api-token")).strip();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI agents = java.net.URI.create("http://127.0.0.1:" + api.group(1) + "/api/v1/agents");

    java.net.http.HttpResponse<String> withToken = http.send(java.net.http.HttpRequest.newBuilder(agents)
        .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
    assertThat(withToken.body()).contains("\"agentId\":\"local-1\"", "\"agentId\":\"local-2\"");
    assertThat(http.send(java.net.http.HttpRequest.newBuilder(agents).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  /** The one page of the whole stack (one process), where `kos up` says and records it is. */
  @Test
  @Order(5)
  void shouldServeTheStacksMetricsWhereItSaysAndRecords() throws Exception {
    java.util.regex.Matcher said = java.util.regex.Pattern.compile("metrics: +(http://\\S+/metrics)")
        .matcher(Files.readString(upOutput));
    assertThat(said.find()).as("kos up names its metrics page:\n" + Files.readString(upOutput)).isTrue();
    assertThat(KosHome.read(KosHome.from(env).clusterFile()).getProperty(UpCommand.METRICS_URL_KEY))
        .isEqualTo(said.group(1));

    PrometheusPage page = PrometheusPage.scrape(said.group(1));
    assertThat(page.value("kos_allocator_rounds_total", "outcome", "ok")).isPositive();
    assertThat(page.value("kos_allocator_round_seconds_count")).isPositive();
    assertThat(page.value("kos_agent_capacity_cpus", "agent", "local-1")).isPositive();
    assertThat(page.value("kos_agent_capacity_cpus", "agent", "local-2")).isPositive();
    assertThat(page.has("kos_consumer_lag", "group", "kos-allocator", "client", "streams")).isTrue();
    assertThat(page.has("kos_framework_offers_total", "framework", "apps")).isTrue();
    assertThat(page.has("kos_framework_offers_total", "framework", "jobs")).isTrue();
    assertThat(page.value("jvm_threads_live_threads")).isPositive();
  }

  @Test
  @Order(5)
  void shouldHaveTheBuiltInFrameworksRegistered() {
    Result result = kos("framework", "list");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("apps", "jobs", "kafka");
  }

  @Test
  @Order(6)
  void shouldStopCleanlyOnSigterm() throws Exception {
    up.destroy();

    assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("kos up exited").isTrue();
    assertThat(Files.readString(upOutput)).contains("kos stopped");
    assertThat(KosHome.from(env).clusterFile()).doesNotExist();
    assertThat(Files.readString(upOutput)).as("the agents worked under the tmpdir given to kos up")
        .contains("work dir " + home.resolve("tmp"));
    try (var left = Files.list(home.resolve("tmp"))) {
      assertThat(left.map(path -> path.getFileName().toString()))
          .as("the broker's, the allocator's and the agents' temporary directories are removed")
          .noneMatch(name -> name.startsWith("kos-"));
    }
  }

  private static Result kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {
  }
}
