package dev.kos.cli;

import static dev.kos.cli.Fixtures.NOW;
import static dev.kos.cli.Fixtures.app;
import static dev.kos.cli.Fixtures.instance;
import static dev.kos.cli.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.Endpoint;
import dev.kos.schema.LogStream;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScaleTarget;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only commands on a real broker: the records the apps framework, agents and allocator write go in,
 * and the tables, JSON and exit codes a user sees come out.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KosListingsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path home;

  private static TestBus bus;
  private static InProcessKos kos;

  @BeforeAll
  static void publishTheClusterState(@BootstrapServers String bootstrap) {
    bus = TestBus.start(bootstrap, 2);
    kos = InProcessKos.on(bus, home);
    bus.publish(Topics.APPS, "/web", app(spec("/web", 5), "d2", "2 instances of /web unplaced: UNIQUE hostname",
        instance("web-1", "a1", "RUNNING", null), instance("web-2", "a2", "RUNNING", null),
        instance("web-3", "a3", "STARTING", null)));
    bus.publish(Topics.APPS, "/api", app(spec("/api", 1), null, null, instance("api-1", "a1", "RUNNING", null)));
    bus.publish(Topics.APPS, "/gone", app(spec("/gone", 1), null, null));
    bus.publishRaw(Topics.APPS, "/gone", null);
    bus.publishRaw(Topics.APPS, "/junk", "not avro".getBytes(StandardCharsets.UTF_8));

    bus.publish(Topics.TASKS, "web-1.0", Fixtures.task("web-1.0", "/web", "a1", TaskState.STAGING, null, NOW));
    bus.publish(Topics.TASKS, "web-1.0", Fixtures.task("web-1.0", "/web", "a1", TaskState.RUNNING, "started", NOW));
    bus.publish(Topics.TASKS, "api-1.0", Fixtures.task("api-1.0", "/api", "a1", TaskState.RUNNING, null, NOW));

    bus.publish(Topics.ENDPOINTS, "/web", AppEndpoints.newBuilder().setAppId("/web").setVersion("v1")
        .setPortNames(List.of("http", "")).setUpdatedAt(NOW).setEndpoints(List.of(
            new Endpoint("web-1", "web-1.0", "a1", "host-a1", List.of(31000, 31001), "v1"),
            new Endpoint("web-2", "web-2.0", "a2", "host-a2", List.of(31005, 31006), "v1"))).build());

    bus.publish(Topics.AGENTS, "a1", Fixtures.agent("a1", false, Instant.now()));
    // An operator drained a2: the allocator says so on kos.status; the agent's own report does not.
    bus.publish(Topics.AGENTS, "a2", Fixtures.agent("a2", false, Instant.now()));
    for (String kind : List.of("AGENT_DRAINING", "AGENT_DRAINED")) {
      bus.publish(Topics.STATUS, "a2", StatusEvent.newBuilder().setTarget("a2").setFramework("allocator")
          .setKind(kind).setMessage(kind).setTimestamp(NOW).build());
    }
    bus.publish(Topics.FRAMEWORKS, "apps", Fixtures.framework("apps", "*", false));
    publishAKafkaClusterWhoseBroker4GaveUp();

    for (int seq = 1; seq <= 3; seq++) {
      bus.publish(Topics.LOGS, "web-1.0", Fixtures.log("web-1.0", seq, LogStream.STDOUT, "web line " + seq));
      bus.publish(Topics.LOGS, "api-1.0", Fixtures.log("api-1.0", seq, LogStream.STDOUT, "api line " + seq));
    }
  }

  @AfterAll
  static void close() {
    bus.close();
  }

  /** Broker 4 of cluster {@code broken} failed 5 times in a row and the framework stopped relaunching it. */
  private static void publishAKafkaClusterWhoseBroker4GaveUp() {
    Instant at = Instant.parse("2026-12-07T12:00:00Z");
    List<dev.kos.frameworks.kafka.core.Broker> brokers = new ArrayList<>();
    for (int node = 1; node <= 4; node++) {
      brokers.add(new dev.kos.frameworks.kafka.core.Broker(node, node <= 3, java.util.Optional.of(
          new dev.kos.frameworks.kafka.core.Placement("a" + node, "10.0.0." + node, List.of(9092, 9093, 9094),
              java.util.Optional.empty())), node == 4 ? dev.kos.frameworks.kafka.core.BrokerPhase.STOPPED
          : dev.kos.frameworks.kafka.core.BrokerPhase.RUNNING, 5, java.util.Optional.of("kafka.broken.broker-"
          + node + ".5"), 1, java.util.Optional.of("4.3.1"), java.util.Optional.empty(), node == 4 ? 5 : 0, at));
    }
    bus.publish(Topics.KAFKA_CLUSTERS, "broken", dev.kos.frameworks.kafka.edge.KafkaStateAvro.avro(
        new dev.kos.frameworks.kafka.core.KafkaCluster("broken", "id", "4.3.1", dev.kos.model.Resources.of(0.5, 768,
            1024), java.util.Map.of(), 1, brokers, dev.kos.frameworks.kafka.core.KafkaCluster.Rebalance.NONE,
            List.of(), java.util.Optional.empty()), at));
    bus.publish(Topics.STATUS, "broken", StatusEvent.newBuilder().setTarget("broken").setFramework("kafka")
        .setKind("BROKER_GAVE_UP").setCounts(java.util.Map.of("nodeId", 4)).setMessage("broker 4 task "
            + "kafka.broken.broker-4.5 ended FAILED; it failed 5 times in a row (at most 5), so it is no longer "
            + "relaunched").setTimestamp(NOW).build());
  }

  @Test
  void shouldSayWhyAKafkaBrokerIsNoLongerRelaunched() throws Exception {
    InProcessKos.Result text = kos.run("kafka", "describe", "broken");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out()).contains("not relaunched: broker 4 task kafka.broken.broker-4.5 ended FAILED; it failed 5 "
        + "times in a row (at most 5), so it is no longer relaunched", "failures in a row: 5");

    JsonNode json = JSON.readTree(kos.run("kafka", "describe", "broken", "--json").out());
    assertThat(json.get("gaveUp")).singleElement().satisfies(event -> {
      assertThat(event.get("kind").asText()).isEqualTo("BROKER_GAVE_UP");
      assertThat(event.get("counts").get("nodeId").asInt()).isEqualTo(4);
    });
  }

  @Test
  void shouldListTheAppsOfTheCompactedTopicAndWarnAboutWhatDoesNotDecode() {
    InProcessKos.Result result = kos.run("app", "list");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines()).containsExactly(
        "ID    INSTANCES  HEALTHY  VERSION  DEPLOYMENT  ROLE",
        "/api  1/1        -        v1       -           *",
        "/web  2/5        -        v1       d2          *");
    assertThat(result.err()).contains("passed over 1 record(s) of " + bus.bus().topic(Topics.APPS));
  }

  @Test
  void shouldPrintTheAppsAsOneJsonArray() throws Exception {
    InProcessKos.Result result = kos.run("app", "list", "--json");

    JsonNode apps = JSON.readTree(result.out());
    assertThat(apps.isArray()).isTrue();
    assertThat(values(apps, "appId")).containsExactly("/api", "/web");
    assertThat(apps.get(1).get("unplaced").asText()).contains("UNIQUE hostname");
  }

  @Test
  void shouldShowWhyInstancesOfAnAppAreUnplaced() {
    InProcessKos.Result result = kos.run("app", "show", "/web");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains(
        "instances:   2 running of 5 wanted",
        "unplaced:    2 instances of /web unplaced: UNIQUE hostname",
        "INSTANCE  TASK     AGENT  STATE     HEALTHY  VERSION  PORTS",
        "web-3     web-3.0  a3     STARTING  -        v1       -");
  }

  @Test
  void shouldShowWhereAnAppIsReached() throws Exception {
    InProcessKos.Result table = kos.run("app", "endpoints", "/web");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains(
        "INSTANCE  ENDPOINTS                            VERSION  TASK",
        "web-1     host-a1:31000 (http), host-a1:31001  v1       web-1.0",
        "web-2     host-a2:31005 (http), host-a2:31006  v1       web-2.0");

    JsonNode json = JSON.readTree(kos.run("app", "endpoints", "/web", "--json").out());
    assertThat(json.get("endpoints").get(1).get("ports").get(0).asInt()).isEqualTo(31005);

    InProcessKos.Result none = kos.run("app", "endpoints", "/api");
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(none.out()).contains("no endpoints: no instance of /api serves now (`kos app show /api` says why)");

    InProcessKos.Result unknown = kos.run("app", "endpoints", "/nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no app /nope; `kos app list` shows the apps");
  }

  @Test
  void shouldSayThereIsNoSuchAppWithExitCodeOne() {
    InProcessKos.Result removed = kos.run("app", "show", "/gone");

    assertThat(removed.exitCode()).isEqualTo(1);
    assertThat(removed.err()).contains("no app /gone; `kos app list` shows the apps");
  }

  @Test
  void shouldListTheLatestStateOfEachTaskOfOneApp() throws Exception {
    InProcessKos.Result table = kos.run("task", "list", "--app", "/web");
    InProcessKos.Result json = kos.run("task", "list", "--json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines().toList()).hasSize(2).first().asString()
        .startsWith("TASK     APP   AGENT  STATE    AGE");
    assertThat(table.out().lines().skip(1).findFirst().orElseThrow())
        .startsWith("web-1.0  /web  a1     RUNNING").endsWith("started");
    assertThat(values(JSON.readTree(json.out()), "taskId")).containsExactly("api-1.0", "web-1.0");
  }

  @Test
  void shouldListAgentsMarkingTheDrainedOne() throws Exception {
    InProcessKos.Result table = kos.run("agent", "list");
    InProcessKos.Result json = kos.run("agent", "list", "--json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("a1     host-a1   active   1.5/4  512/8192", "a2     host-a2   drained");
    assertThat(values(JSON.readTree(json.out()), "agentId")).containsExactly("a1", "a2");
  }

  @Test
  void shouldListTheFrameworks() {
    InProcessKos.Result result = kos.run("framework", "list");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out().lines()).element(1).asString().startsWith("apps       apps  *     2       wanted");
  }

  @Test
  void shouldPrintTheLastLinesOfOneTaskOnly() {
    InProcessKos.Result tail = kos.run("task", "logs", "web-1.0", "--tail", "2");
    InProcessKos.Result none = kos.run("task", "logs", "nothing-0.0");

    assertThat(tail.exitCode()).as(tail.toString()).isZero();
    assertThat(tail.out().lines()).containsExactly("web line 2", "web line 3");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("no output of task nothing-0.0");
  }

  @Test
  void shouldFollowATasksOutputUntilInterrupted() throws Exception {
    StringWriter out = new StringWriter();
    Thread follower = new Thread(() -> kos.run(out, new StringWriter(), "task", "logs", "api-1.0", "--follow"));
    follower.start();
    TestBus.await("the history", () -> out.toString().contains("api line 3"));

    bus.publish(Topics.LOGS, "api-1.0", Fixtures.log("api-1.0", 4, LogStream.STDERR, "api line 4"));
    TestBus.await("the new line", () -> out.toString().contains("api line 4"));
    follower.interrupt();
    follower.join(10_000);

    assertThat(follower.isAlive()).isFalse();
    assertThat(out.toString().lines()).containsExactly("api line 1", "api line 2", "api line 3", "api line 4");
  }

  @Test
  void shouldPrintTheReadableStreamAndItsJson() throws Exception {
    try (TestBus events = TestBus.start(bus.bus().settings().bootstrapServers(), 2)) {
      InProcessKos eventsKos = InProcessKos.on(events, home);
      events.publish(Topics.STATUS, "/web", StatusEvent.newBuilder().setTarget("/web").setFramework("apps")
          .setKind("DEPLOYMENT_STARTED").setMessage("deploying 3 instances").setTimestamp(NOW).build());
      events.publish(Topics.SCALE_DECISIONS, "/web", ScaleDecision.newBuilder().setTarget("/web")
          .setKind(ScaleTarget.SERVICE).setFrom(3).setTo(5).setReason("busy").setPolicy("rps")
          .setMode(ScaleMode.ADVISORY).setTimestamp(NOW).build());
      events.publish(Topics.COMMAND_RESULTS, "c1", Fixtures.result("c1", CommandStatus.REJECTED, "no app /x", null));
      events.publish(Topics.TASK_STATUS, "a1", Fixtures.task("web-1.0", "/web", "a1", TaskState.RUNNING, null, NOW));
      events.publish(Topics.AGENTS, "a1", Fixtures.agent("a1", false, NOW));

      InProcessKos.Result readable = eventsKos.run("events", "--from-beginning");
      InProcessKos.Result json = eventsKos.run("events", "--from-beginning", "--json");

      assertThat(readable.exitCode()).as(readable.toString()).isZero();
      assertThat(readable.out().lines()).as("in the order they happened").containsExactly(
          "2026-11-25T05:00:00Z  status   /web                                  DEPLOYMENT_STARTED   deploying 3 instances (apps)",
          "2026-11-25T05:00:00Z  scale    /web                                  3 -> 5 ADVISORY      busy (policy rps)",
          "2026-11-25T05:00:00Z  command  c1                                    REJECTED             by apps: no app /x",
          "2026-11-25T05:00:00Z  task     web-1.0                               RUNNING              app /web on a1");
      List<String> topics = new ArrayList<>();
      for (String line : json.out().lines().toList()) {
        topics.add(JSON.readTree(line).get("topic").asText());
      }
      assertThat(topics).containsExactlyInAnyOrder(events.bus().topic(Topics.STATUS),
          events.bus().topic(Topics.SCALE_DECISIONS), events.bus().topic(Topics.COMMAND_RESULTS),
          events.bus().topic(Topics.TASK_STATUS));
    }
  }

  @Test
  void shouldFollowTheReadableStream() throws Exception {
    StringWriter out = new StringWriter();
    int[] exit = {-1};
    Thread follower = new Thread(() -> exit[0] = kos.run(out, new StringWriter(), "events", "--follow", "--max", "1"));
    follower.start();
    // `--follow` starts at the end as it is when it first polls: publish until it has seen one.
    TestBus.await("a followed status event", () -> {
      bus.publish(Topics.STATUS, "/api", StatusEvent.newBuilder().setTarget("/api").setFramework("apps")
          .setKind("INSTANCE_RUNNING").setMessage("api-1 running").setTimestamp(Instant.now()).build());
      try {
        follower.join(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return !follower.isAlive();
    });

    assertThat(exit[0]).isZero();
    assertThat(out.toString()).contains("  status   /api ", "INSTANCE_RUNNING     api-1 running (apps)");
  }

  private static List<String> values(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false).map(node -> node.get(field).asText()).toList();
  }
}
