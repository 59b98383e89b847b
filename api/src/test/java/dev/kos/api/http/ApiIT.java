package dev.kos.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.api.auth.TokenFile;
import dev.kos.api.auth.Tokens;
import dev.kos.api.dashboard.DashboardPage;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.schema.KafkaBrokerState;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.MetricSample;
import dev.kos.schema.Resources;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API against a real broker, the allocator, an agent and the apps framework with a tenant policy: every route,
 * 401/403/400, commands answered (accepted, rejected across tenants, drained by the allocator), the event stream,
 * metrics, a flood of bad requests, and the dashboard in a real Chromium (its overview and an app's page against
 * the cluster, an app scaled from the page).
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = Tokens.newToken();
  private static final String OPS = Tokens.newToken();
  private static final String VIEWER = Tokens.newToken();
  private static final String NOTHING = Tokens.newToken();
  /** Where the browser test leaves its screenshots (docs/img/dashboard-app.png is one of them). */
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  @TempDir
  static Path dir;

  private static TestBus bus;
  private static AllocatorService allocator;
  private static BusAgent agent;
  private static AppsFramework apps;
  private static JobsFramework jobs;
  private static ApiServer api;
  private static HttpClient http;

  @BeforeAll
  static void startTheClusterAndTheApi(@BootstrapServers String bootstrap) throws Exception {
    bus = TestBus.start(bootstrap, 2);
    allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(), "allocator-" + UUID.randomUUID(),
        dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
    agent = BusAgent.start(new AgentSettings("a1", "a1", ResourceFlag.parseExact("cpus:2;mem:1024;ports:[31000-31010]"),
        Map.of(), Map.of(), dir.resolve("a1"), bus.bus().settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
        Clock.systemUTC());
    Properties tenants = new Properties();
    tenants.setProperty("principal.alice.roles", "*");
    tenants.setProperty("principal.alice.prefixes", "/team-a/");
    tenants.setProperty("principal.ops.roles", "*");
    tenants.setProperty("principal.ops.prefixes", "/");
    apps = new AppsFramework(bus.bus(), "*", TenantPolicy.parse(tenants), Clock.systemUTC()).start();
    jobs = new JobsFramework(bus.bus(), JobsFramework.ROLE, JobsConfig.DEFAULT, Clock.systemUTC()).start();
    TokenFile tokens = TokenFile.parse("tokens", List.of(
        Tokens.line("alice", "*:operate,@all:view", ALICE),
        Tokens.line("ops", "@all:admin", OPS),
        Tokens.line("viewer", "@all:view", VIEWER),
        Tokens.line("nothing", "web:view", NOTHING))); // view in one role only
    api = ApiServer.start(bus.bus(), tokens, "127.0.0.1", 0, Duration.ofSeconds(60), Clock.systemUTC());
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable part : new AutoCloseable[] {api, jobs, apps, agent, allocator, bus}) {
      if (part != null) {
        part.close();
      }
    }
  }

  // --- authentication ---

  static Stream<String> everyRoute() {
    return Stream.of("/openapi.json", "/metrics", "/api/v1/whoami", "/api/v1/apps", "/api/v1/apps/x/y",
        "/api/v1/tasks", "/api/v1/logs?task=x", "/api/v1/kafka-clusters/x/traffic", "/api/v1/agents", "/api/v1/frameworks", "/api/v1/roles", "/api/v1/jobs",
        "/api/v1/kafka-clusters", "/api/v1/scale-decisions", "/api/v1/dead-letters", "/api/v1/events",
        "/api/v1/analytics/requests?app=/web", "/no/such");
  }

  @ParameterizedTest
  @MethodSource("everyRoute")
  void everyRequestWithoutAGoodTokenIs401(String path) throws Exception {
    for (String authorization : new String[] {null, "Basic YWxpY2U6eA==", "Bearer kos_not-a-token", "Bearer "}) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s with %s", path, authorization).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> h.startsWith("Bearer"));
      assertThat(JSON.readTree(response.body()).get("reason").asText()).isNotBlank();
    }
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/api/v1/commands/ScaleApp"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"appId\": \"/team-a/web\", \"instances\": 9}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(401);
  }

  @Test
  void theDashboardsFilesAreServedWithoutATokenAndHoldNoData() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; frame-ancestors 'none'");
    assertThat(page.body()).contains("<script src=\"/ui/app.js\">");
    assertThat(get("/ui/app.js", null).body()).contains("'Authorization': 'Bearer ' + token");
    assertThat(get("/ui/style.css", null).statusCode()).isEqualTo(200);
    assertThat(json(get("/ui/secrets.txt", null), 404).get("reason").asText()).isEqualTo("no dashboard file secrets.txt");
  }

  @Test
  void whoamiIsThePrincipalOfTheToken() throws Exception {
    JsonNode me = json(get("/api/v1/whoami", ALICE), 200);
    assertThat(me.get("principal").asText()).isEqualTo("alice");
    assertThat(me.get("grants").toString()).isEqualTo("[\"*:operate\",\"@all:view\"]");
  }

  // --- authorization ---

  @Test
  void aMissingPermissionIs403NamingIt() throws Exception {
    JsonNode scale = json(post("ScaleApp", "", "{\"appId\": \"/team-a/web\", \"instances\": 2}", VIEWER), 403);
    assertThat(scale.get("reason").asText())
        .isEqualTo("principal viewer lacks the permission operate in some role (it has @all:view)");

    JsonNode drain = json(post("DrainAgent", "", "{\"agentId\": \"a1\"}", ALICE), 403);
    assertThat(drain.get("reason").asText()).isEqualTo("principal alice lacks the permission admin on the cluster "
        + "(@all:admin) (it has *:operate,@all:view)");

    JsonNode otherRole = json(post("ScaleApp", "?role=batch", "{\"appId\": \"/team-a/web\", \"instances\": 2}",
        ALICE), 403);
    assertThat(otherRole.get("reason").asText()).startsWith("principal alice lacks the permission operate in role batch");

    // A principal with view in one role only may still read (views are not filtered by role yet, docs/api.md).
    assertThat(get("/api/v1/apps", NOTHING).statusCode()).isEqualTo(200);
  }

  // --- bad input ---

  @Test
  void aBodyThatDoesNotFitIs400WithTheJsonPath() throws Exception {
    JsonNode wrongType = json(post("ScaleApp", "", "{\"appId\": \"/team-a/web\", \"instances\": \"five\"}", ALICE),
        400);
    assertThat(wrongType.get("violations").get(0).get("path").asText()).isEqualTo("$.instances");
    assertThat(wrongType.get("violations").get(0).get("expected").asText()).isEqualTo("int");
    assertThat(wrongType.get("reason").asText()).startsWith("the body is not a valid ScaleApp, nothing was sent: "
        + "$.instances: expected int");

    JsonNode notJson = json(post("ScaleApp", "", "{\"appId\": ", ALICE), 400);
    assertThat(notJson.get("violations").get(0).get("path").asText()).startsWith("$");

    JsonNode forged = json(post("DeployApp", "", "{\"principal\": \"ops\", \"app\": {\"id\": \"/team-b/x\", "
        + "\"cmd\": \"true\"}}", ALICE), 400);
    assertThat(forged.get("violations").get(0).get("path").asText()).isEqualTo("$.principal");

    JsonNode noKind = json(post("SetQuotas", "", "{}", OPS), 404);
    assertThat(noKind.get("reason").asText()).startsWith("no command kind SetQuotas; the kinds are DeployApp");

    JsonNode badTimeout = json(post("ScaleApp", "?timeout=forever", "{\"appId\": \"/team-a/web\", \"instances\": 1}",
        ALICE), 400);
    assertThat(badTimeout.get("reason").asText()).contains("timeout is a duration");

    JsonNode noStream = json(get("/api/v1/events", VIEWER), 406);
    assertThat(noStream.get("reason").asText()).isEqualTo("the event stream needs the header Accept: text/event-stream");

    JsonNode noApp = json(get("/api/v1/apps/team-z/none", VIEWER), 404);
    assertThat(noApp.get("reason").asText()).startsWith("no app /team-z/none");
  }

  // --- commands and views ---

  @Test
  void anAppDeployedThroughTheApiRunsAndShowsInTheViewsAndTheEventStream() throws Exception {
    LinkedBlockingQueue<String> events = follow("/api/v1/events?app=/team-a/web", VIEWER);

    JsonNode deployed = json(post("DeployApp", "", "{\"app\": {\"id\": \"/team-a/web\", \"cmd\": \"sleep 600\", "
        + "\"instances\": 1, \"cpus\": 0.1, \"mem\": 32}}", ALICE), 200);
    assertThat(deployed.get("outcome").asText()).isEqualTo("accepted");
    assertThat(deployed.get("handledBy").asText()).isNotBlank();

    TestBus.await("/team-a/web running, seen through the API", () -> running("/team-a/web") == 1);
    JsonNode app = json(get("/api/v1/apps/team-a/web", VIEWER), 200);
    assertThat(app.get("appId").asText()).isEqualTo("/team-a/web");
    assertThat(app.has("endpoints")).isTrue();
    JsonNode tasks = json(get("/api/v1/tasks?app=/team-a/web&state=RUNNING", VIEWER), 200);
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).get("agentId").asText()).isEqualTo("a1");
    assertThat(json(get("/api/v1/tasks?agent=nowhere", VIEWER), 200)).isEmpty();
    assertThat(names(json(get("/api/v1/agents", VIEWER), 200), "agentId")).containsExactly("a1");
    assertThat(json(get("/api/v1/frameworks", VIEWER), 200)).isNotEmpty();
    assertThat(names(json(get("/api/v1/apps", VIEWER), 200), "appId")).contains("/team-a/web");
    for (String list : List.of("/api/v1/roles", "/api/v1/jobs", "/api/v1/kafka-clusters",
        "/api/v1/scale-decisions?target=/team-a/web")) {
      assertThat(json(get(list, VIEWER), 200).isArray()).as(list).isTrue();
    }

    String event = events.poll(60, TimeUnit.SECONDS);
    assertThat(event).as("a status event about /team-a/web on the stream").isNotNull();
    assertThat(JSON.readTree(event).get("target").asText()).isEqualTo("/team-a/web");

    JsonNode scaled = json(post("ScaleApp", "", "{\"appId\": \"/team-a/web\", \"instances\": 2}", ALICE), 200);
    assertThat(scaled.get("outcome").asText()).isEqualTo("accepted");
    TestBus.await("/team-a/web at 2 running", () -> running("/team-a/web") == 2);

    JsonNode noWait = json(post("RestartApp", "?wait=false", "{\"appId\": \"/team-a/web\"}", ALICE), 202);
    assertThat(noWait.get("outcome").asText()).isEqualTo("sent");
  }

  @Test
  void aCommandAcrossTenantsIsRejectedWithTheReasonAndTheAuthenticatedPrincipal() throws Exception {
    JsonNode rejected = json(post("DeployApp", "", "{\"app\": {\"id\": \"/team-b/db\", \"cmd\": \"sleep 600\"}}",
        ALICE), 409);
    assertThat(rejected.get("outcome").asText()).isEqualTo("rejected");
    assertThat(rejected.get("reason").asText())
        .isEqualTo("principal alice may not act on /team-b/db: its apps are under /team-a/");

    // The same command from the principal the policy lets act there is accepted: the principal is the token's.
    JsonNode accepted = json(post("DeployApp", "", "{\"app\": {\"id\": \"/team-b/db\", \"cmd\": \"sleep 600\", "
        + "\"cpus\": 0.1, \"mem\": 32}}", OPS), 200);
    assertThat(accepted.get("outcome").asText()).isEqualTo("accepted");
  }

  @Test
  void aCommandNobodyAnswersIs504SayingWhoShouldHave() throws Exception {
    // No kafka framework runs in this cluster.
    JsonNode unanswered = json(post("DeleteKafkaCluster", "?timeout=3s", "{\"name\": \"nowhere\"}", OPS), 504);
    assertThat(unanswered.get("outcome").asText()).isEqualTo("unanswered");
    assertThat(unanswered.get("message").asText()).startsWith("no framework answered within 3s: is the kafka "
        + "framework running?");
  }

  // --- the dashboard, in a real Chromium ---

  @Test
  void theDashboardShowsTheClusterAndScalesAnAppFromItsPage() throws Exception {
    String shop = "/team-a/shop";
    json(post("DeployApp", "", "{\"app\": {\"id\": \"" + shop + "\", \"cmd\": \"sleep 600\", \"instances\": 1, "
        + "\"cpus\": 0.1, \"mem\": 32}}", ALICE), 200);
    TestBus.await(shop + " running", () -> running(shop) == 1);

    try (DashboardPage page = DashboardPage.open(uri("/"), ALICE, SCREENSHOTS)) {
      // The overview against the cluster: the one agent and the resources it was started with, and as many running
      // tasks as the agents report (other cases' apps may still be settling, hence the wait for the same count).
      page.await("the agent a1 with its 2 cpus and 1024 MiB", p -> "1".equals(p.card("agents"))
          && String.valueOf(p.card("cpus")).endsWith("/ 2") && String.valueOf(p.card("mem")).endsWith("/ 1024"));
      page.await("as many running tasks and apps as the views have", p -> String.valueOf(running(null))
          .equals(p.card("tasks")) && String.valueOf(quietly(() -> json(get("/api/v1/apps", VIEWER), 200).size()))
          .equals(p.card("apps")));
      page.screenshot("overview.png");

      page.openApp(shop);
      page.await(shop + " with 1 of 1 running, on the agent kos.tasks names", p -> "1".equals(p.card("wanted"))
          && "1".equals(p.card("running")) && runningOn(p.instances()).equals(runningAgents(shop)));
      // The requests chart asks the analytics route; this API reads no rollups, and the page says why.
      page.await("the requests chart's note", p -> !p.text("app-requests-note").isEmpty());
      assertThat(page.text("app-requests-note"))
          .startsWith("no rollups: this API reads no analytics rollups: start it with --cassandra");
      page.screenshot("app.png");

      String answer = page.scaleTo(3);
      assertThat(answer).contains("accepted by apps");
      assertThat(page.messageClass()).isEqualTo("ok");
      // The page follows the scale by itself (no reload), and the agents report the same three tasks running.
      page.await(shop + " with 3 of 3 running", p -> "3".equals(p.card("wanted")) && "3".equals(p.card("running"))
          && p.instances().stream().filter(i -> i.state().equals("RUNNING")).count() == 3);
      TestBus.await(shop + " at 3 running in kos.tasks", () -> running(shop) == 3);
      assertThat(runningOn(page.instances())).isEqualTo(runningAgents(shop));
      page.screenshot("app-scaled.png");
    }
    assertThat(SCREENSHOTS.resolve("app-scaled.png")).isNotEmptyFile();
  }

  @Test
  void theDashboardShowsTasksWithALiveTailOfTheirOutputJobsAndWhyTheyWaitAndKafkaClusters() throws Exception {
    String talker = "/team-a/talker";
    json(post("DeployApp", "", "{\"app\": {\"id\": \"" + talker + "\", \"cmd\": \"i=0; while true; do echo line-$i; "
        + "i=$((i+1)); sleep 1; done\", \"instances\": 1, \"cpus\": 0.1, \"mem\": 32}}", ALICE), 200);
    TestBus.await(talker + " running", () -> running(talker) == 1);
    String taskId = json(get("/api/v1/tasks?app=" + talker + "&state=RUNNING", VIEWER), 200).get(0).get("taskId")
        .asText();
    // A job that no agent can hold waits, and the jobs framework says why.
    json(post("RunJob", "", "{\"job\": {\"id\": \"big\", \"cmd\": \"true\", \"cpus\": 64, \"mem\": 32}}", OPS), 200);
    TestBus.await("job big waiting, with the reason", () -> !waiting("big").isEmpty());
    // A Kafka cluster's record and a broker's sample, as the kafka framework writes them (no broker runs here).
    Instant now = Instant.now();
    bus.publish(Topics.KAFKA_CLUSTERS, "demo", KafkaClusterState.newBuilder().setName("demo").setClusterId("c-demo")
        .setVersion("4.2.0").setJmxSecret("s3cret-jmx").setPerBroker(Resources.newBuilder().build()).setConfigVersion(3).setRebalance("NONE")
        .setBrokers(List.of(broker(1, now), broker(2, now))).setUpdatedAt(now).build());
    bus.publish(Topics.METRICS, "demo/broker-1", MetricSample.newBuilder().setSourceId("demo/broker-1")
        .setKind("service").setAppId("demo").setValues(Map.of("bytesInPerSec", 2048.0, "bytesOutPerSec", 4096.0,
            "bytesIn", 3_145_728.0, "bytesOut", 6_291_456.0, "partitions", 12.0, "leaders", 6.0)).setTimestamp(now)
        .build());

    try (DashboardPage page = DashboardPage.open(uri("/"), VIEWER, SCREENSHOTS)) {
      page.follow("tasks", "tasks-page");
      page.await("the tasks kos.tasks holds, " + taskId + " RUNNING among them", p -> {
        Map<String, String> shown = p.rows("#tasks-table tr[data-task]").stream()
            .collect(Collectors.toMap(r -> r.get("task"), r -> r.get("state")));
        JsonNode tasks = quietly(() -> json(get("/api/v1/tasks", VIEWER), 200));
        return "RUNNING".equals(shown.get(taskId)) && tasks != null && shown.size() == tasks.size();
      });
      page.screenshot("tasks.png");

      page.follow(taskId, "task-page");
      page.await("the output of " + taskId, p -> p.logLines().size() >= 2);
      List<String> first = page.logLines();
      assertThat(first.get(0)).isEqualTo("line-0");
      // The tail is live: new lines come while the page stays open, in the order the task wrote them.
      page.await("more output of " + taskId + " than the " + first.size() + " lines first shown",
          p -> p.logLines().size() > first.size());
      List<String> later = page.logLines();
      assertThat(later.subList(0, first.size())).isEqualTo(first);
      assertThat(later.get(later.size() - 1)).isEqualTo("line-" + (later.size() - 1));
      page.screenshot("task.png");

      page.follow("jobs", "jobs-page");
      page.await("job big and why it waits, as kos.jobs says", p -> p.rows("#jobs-table tr[data-job]").stream()
          .anyMatch(r -> r.get("job").equals("big") && !r.get("waiting").isEmpty()
              && r.get("waiting").equals(waiting("big"))));
      page.screenshot("jobs.png");

      page.follow("Kafka", "kafka-page");
      page.await("cluster demo with its two brokers and broker 1's bytes in and out", p -> {
        Map<String, Map<String, String>> brokers = p.rows("#kafka-demo tr[data-broker]").stream()
            .collect(Collectors.toMap(r -> r.get("broker"), r -> r));
        return brokers.size() == 2 && "3145728".equals(brokers.get("1").get("bytesIn"))
            && "6291456".equals(brokers.get("1").get("bytesOut")) && "".equals(brokers.get("2").get("bytesIn"));
      });
      assertThat(page.text("kafka-clusters")).contains("demo — Kafka 4.2.0, 2/2 brokers healthy")
          .contains("2 KiB/s").contains("4 KiB/s").contains("3 MiB").contains("6 MiB");
      page.screenshot("kafka.png");
    }
    // The brokers' JMX password is the kafka framework's alone: a viewer never gets it.
    assertThat(get("/api/v1/kafka-clusters", VIEWER).body()).contains("\"name\":\"demo\"").doesNotContain("s3cret-jmx");
    JsonNode traffic = json(get("/api/v1/kafka-clusters/demo/traffic", VIEWER), 200);
    assertThat(traffic.get("brokers").get(0).get("sample").get("values").get("bytesInPerSec").asDouble())
        .isEqualTo(2048.0);
    assertThat(traffic.get("brokers").get(1).get("sample").isNull()).isTrue();
    JsonNode logs = json(get("/api/v1/logs?task=" + taskId + "&tail=2", VIEWER), 200);
    assertThat(logs.get("lines")).hasSize(2);
    json(get("/api/v1/logs", VIEWER), 400);
    json(post("RemoveApp", "", "{\"appId\": \"" + talker + "\"}", ALICE), 200);
  }

  private static String waiting(String jobId) {
    JsonNode list = quietly(() -> json(get("/api/v1/jobs", VIEWER), 200));
    if (list == null) {
      return "";
    }
    for (JsonNode job : list) {
      if (job.get("jobId").asText().equals(jobId) && !job.get("waiting").isNull()) {
        return job.get("waiting").asText();
      }
    }
    return "";
  }

  private static KafkaBrokerState broker(int nodeId, Instant since) {
    return KafkaBrokerState.newBuilder().setNodeId(nodeId).setController(nodeId == 1).setPhase("RUNNING")
        .setAttempt(0).setConfigVersion(3).setVersion("4.2.0").setHealthy(true).setSince(since).build();
  }

  @Test
  void drainingAnAgentIsAnsweredByTheAllocatorAndStreamedAsAnEventOfItsKind() throws Exception {
    LinkedBlockingQueue<String> draining = follow("/api/v1/events?kind=AGENT_DRAINING", VIEWER);
    JsonNode drained = json(post("DrainAgent", "", "{\"agentId\": \"a1\"}", OPS), 200);
    assertThat(drained.get("outcome").asText()).isEqualTo("accepted");
    String event = draining.poll(60, TimeUnit.SECONDS);
    assertThat(event).as("an AGENT_DRAINING event on the stream").isNotNull();
    assertThat(JSON.readTree(event).get("kind").asText()).isEqualTo("AGENT_DRAINING");
    assertThat(JSON.readTree(event).get("target").asText()).isEqualTo("a1");
    assertThat(json(post("UndrainAgent", "", "{\"agentId\": \"a1\"}", OPS), 200).get("outcome").asText())
        .isEqualTo("accepted");
  }

  @Test
  void roleAndQuotaChangesAreAnsweredByTheAllocatorAndShowInTheRoles() throws Exception {
    JsonNode configured = json(post("ConfigureRole", "", "{\"role\": \"analytics\", \"weight\": 2.0}", OPS), 200);
    assertThat(configured.get("outcome").asText()).isEqualTo("accepted");
    assertThat(configured.get("handledBy").asText()).isEqualTo("allocator");
    assertThat(configured.get("reason").asText()).startsWith("role analytics now has weight 2.0, priority 0");
    JsonNode quota = json(post("SetQuota", "", "{\"role\": \"analytics\", \"limit\": {\"cpus\": 4.0}}", OPS), 200);
    assertThat(quota.get("outcome").asText()).isEqualTo("accepted");
    assertThat(quota.get("message").asText()).contains("accepted by allocator: role analytics now has weight 2.0",
        "limit cpus 4.0 mem unlimited disk unlimited");

    JsonNode negative = json(post("SetQuota", "", "{\"role\": \"analytics\", \"guarantee\": {\"cpus\": -1.0}}",
        OPS), 409);
    assertThat(negative.get("outcome").asText()).isEqualTo("rejected");
    assertThat(negative.get("reason").asText()).isEqualTo("role analytics's guarantee: cpus must be a finite number"
        + " >= 0, got -1.0; nothing changed");
    JsonNode unknown = json(post("SetQuota", "", "{\"role\": \"analytcs\", \"limit\": {\"cpus\": 4.0}}", OPS), 409);
    assertThat(unknown.get("reason").asText()).startsWith("role analytcs is unknown");
    JsonNode zero = json(post("ConfigureRole", "", "{\"role\": \"analytics\", \"weight\": 0.0}", OPS), 409);
    assertThat(zero.get("message").asText()).isEqualTo("command " + zero.get("commandId").asText() + " rejected by"
        + " allocator: role analytics: weight must be a finite number > 0, was 0.0; nothing changed");
    JsonNode notAdmin = json(post("ConfigureRole", "", "{\"role\": \"analytics\", \"weight\": 9.0}", ALICE), 403);
    assertThat(notAdmin.get("reason").asText()).contains("admin on the cluster (@all:admin)");

    TestBus.await("role analytics with weight 2 and a 4-cpu limit, and nothing of the rejected changes", () -> {
      JsonNode roles = roles();
      for (JsonNode role : roles) {
        if (role.get("role").asText().equals("analytics")) {
          return role.get("weight").asDouble() == 2.0 && role.get("guarantee").isNull()
              && role.get("limit").get("cpus").asDouble() == 4.0;
        }
      }
      return false;
    });
    assertThat(roles().findValuesAsText("role")).doesNotContain("analytcs");
  }

  private static JsonNode roles() {
    try {
      return JSON.readTree(get("/api/v1/roles", VIEWER).body());
    } catch (Exception e) {
      throw new IllegalStateException("GET /api/v1/roles failed", e);
    }
  }

  @Test
  void deadLettersAndMetricsShowTheCluster() throws Exception {
    bus.publishRaw(Topics.COMMANDS, "/team-a/web", "not avro".getBytes(StandardCharsets.UTF_8));
    TestBus.await("dead letters of the bad command", () -> {
      JsonNode letters = quietly(() -> json(get("/api/v1/dead-letters?topic=" + bus.bus().topic(Topics.COMMANDS),
          VIEWER), 200));
      return letters != null && letters.size() >= 1;
    });
    get("/api/v1/whoami", "Bearer-less");

    String metrics = get("/metrics", VIEWER).body();
    assertThat(metrics).contains("kos_agents 1.0")
        .contains("kos_dead_letters_total{topic=\"" + bus.bus().topic(Topics.COMMANDS) + "\"}")
        .containsPattern("kos_api_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/dead-letters\","
            + "status=\"200\"\\} \\d")
        .containsPattern("kos_api_requests_seconds_count\\{method=\"GET\",route=\"unmatched\",status=\"401\"\\}"
            + "|route=\"/api/v1/whoami\",status=\"401\"")
        .contains("kos_tasks{state=\"RUNNING\"}");
  }

  /**
   * The rollup query's input is checked before anything is read, each refusal with its reason; this API was started
   * without a rollup store, and says so (RollupQueriesIT runs the queries themselves on a real Cassandra node, the
   * CLI's AnalyticsCommandIT the routes' 200 answers over HTTP on real rollups).
   */
  @Test
  void analyticsRequestsRefuseAbsurdWindowsWithTheReason() throws Exception {
    String route = "/api/v1/analytics/requests";
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put(route + "?granularity=hour", "name the app: app=ID");
    refusals.put(route + "?app=/web&from=now&to=-1h", "must be before to");
    refusals.put(route + "?app=/web&from=-2d&granularity=minute",
        "is 2 days; a minute rollup covers at most 1 day (ask for granularity=hour)");
    refusals.put(route + "?app=/web&from=-32d", "is 32 days; an hour rollup covers at most 31 days");
    refusals.put(route + "?app=/web&granularity=week", "the granularity is minute or hour, not 'week'");
    refusals.put(route + "?app=/web&from=yesterday", "from: cannot read the time 'yesterday'");
    refusals.put(route + "?app=/web&from=-99999999999999d", "from: the age '-99999999999999d' reaches beyond");
    refusals.put(AnalyticsRoutes.TOP_APPS + "?limit=0", "limit is 1 to 1000, not 0");
    refusals.put(AnalyticsRoutes.TOP_APPS + "?metric=cpu", "unknown metric 'cpu'");
    refusals.put(AnalyticsRoutes.TOP_APPS + "?from=-32d", "is 32 days; an hour rollup covers at most 31 days");
    refusals.put(AnalyticsRoutes.AGENT_USAGE + "?from=-1h", "name the agent: agent=ID");
    refusals.put(AnalyticsRoutes.AGENT_USAGE + "?agent=a1&from=-2d&granularity=minute", "a minute rollup covers at most");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      assertThat(json(get(refusal.getKey(), VIEWER), 400).get("reason").asText()).as(refusal.getKey())
          .contains(refusal.getValue());
    }
    for (String unserved : List.of(route + "?app=/web&from=-7d", AnalyticsRoutes.TOP_APPS,
        AnalyticsRoutes.AGENT_USAGE + "?agent=a1")) {
      assertThat(json(get(unserved, VIEWER), 503).get("reason").asText()).as(unserved)
          .startsWith("this API reads no analytics rollups: start it with --cassandra HOST:PORT");
    }
  }

  @Test
  void theOpenApiDescriptionListsEveryRoute() throws Exception {
    JsonNode paths = json(get("/openapi.json", VIEWER), 200).get("paths");
    for (ApiServer.Route route : api.routes()) {
      String path = route.path().replace("<", "{").replace(">", "}");
      assertThat(paths.has(path)).as("%s in openapi.json", path).isTrue();
      assertThat(paths.get(path).has(route.method().toLowerCase())).as("%s %s", route.method(), path).isTrue();
    }
  }

  @Test
  void theServerStaysUpUnderAFloodOfBadRequests() throws Exception {
    int requests = 3_000;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        int n = i;
        statuses.add(pool.submit(() -> switch (n % 4) {
          case 0 -> get("/api/v1/tasks", "Bearer kos_guess-" + n).statusCode();
          case 1 -> get("/api/v1/tasks", null).statusCode();
          case 2 -> post("ScaleApp", "", "{\"appId\": [" + "[".repeat(n % 50), ALICE).statusCode();
          default -> n % 40 == 3 ? post("DeployApp", "", "x".repeat(1100 * 1024), ALICE).statusCode()
              : post("NoSuchKind", "", "{}", ALICE).statusCode();
        }));
      }
      for (int i = 0; i < requests; i++) {
        int expected = switch (i % 4) {
          case 0, 1 -> 401;
          case 2 -> 400;
          default -> i % 40 == 3 ? 413 : 404;
        };
        assertThat(statuses.get(i).get(2, TimeUnit.MINUTES)).as("request %d", i).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(json(get("/api/v1/whoami", ALICE), 200).get("principal").asText()).isEqualTo("alice");
  }

  // --- helpers ---

  /** The running tasks of the app (all apps when null), as the agents report them on kos.tasks. */
  private static long running(String appId) {
    JsonNode tasks = quietly(() -> json(get("/api/v1/tasks?" + (appId == null ? "" : "app=" + appId + "&")
        + "state=RUNNING", VIEWER), 200));
    return tasks == null ? -1 : tasks.size();
  }

  /** How many of the app's tasks run on each agent, as the agents report them. */
  private static Map<String, Long> runningAgents(String appId) {
    JsonNode tasks = quietly(() -> json(get("/api/v1/tasks?app=" + appId + "&state=RUNNING", VIEWER), 200));
    return tasks == null ? Map.of() : StreamSupport.stream(tasks.spliterator(), false)
        .collect(Collectors.groupingBy(t -> t.get("agentId").asText(), Collectors.counting()));
  }

  private static Map<String, Long> runningOn(List<DashboardPage.InstanceRow> rows) {
    return rows.stream().filter(i -> i.state().equals("RUNNING"))
        .collect(Collectors.groupingBy(DashboardPage.InstanceRow::agent, Collectors.counting()));
  }

  private static List<String> names(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.get(field).asText()).toList();
  }

  interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T quietly(Call<T> call) {
    try {
      return call.call();
    } catch (Exception | AssertionError e) {
      return null;
    }
  }

  /** The data of each `status` event of an SSE stream, once the stream says it follows. */
  private static LinkedBlockingQueue<String> follow(String path, String token) throws Exception {
    LinkedBlockingQueue<String> data = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    assertThat(first).startsWith(": following kos.status");
    Thread reader = new Thread(() -> {
      try {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data: ")) {
            data.add(line.substring(6));
          }
        }
      } catch (Exception e) {
        // the stream closed with the server
      }
    });
    reader.setDaemon(true);
    reader.start();
    return data;
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
    if (token != null) {
      request.header("Authorization", token.startsWith("Bearer") ? token : "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String kind, String query, String body, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(uri("/api/v1/commands/" + kind + query)).timeout(Duration.ofSeconds(90))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(),
        response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return JSON.readTree(response.body());
  }
}
