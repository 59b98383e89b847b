package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.demo.DemoWebService;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.lb.KosLb;
import dev.kos.lb.LbSettings;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.Endpoint;
import dev.kos.schema.KillInstance;
import dev.kos.schema.LoadBalancer;
import dev.kos.schema.LogLine;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.ScaleApp;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kos lb under steady load (200 requests/s) in front of an app on three real agents, through the allocator and the
 * apps framework, while the app is scaled 3 -> 6 -> 2 and one instance is killed (`kos task kill`): no request
 * fails, and every request is answered by an instance that was in kos.endpoints then and had not been killed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LoadBalancerIT {

  private static final Pattern SERVED_BY = Pattern.compile(" (\\S+)@(\\S+):(\\d+) tries=(\\d+)$");

  @TempDir
  Path dir;

  /** One request of the load: when it was sent and answered, and the status and body, or the error. */
  record Outcome(Instant sent, Instant answered, int status, String body, String error) {
    boolean failed() {
      return error != null || status >= 500;
    }
  }

  @Test
  @Timeout(600)
  void shouldFailNoRequestAcrossScalingAndAKill(@BootstrapServers String bootstrap) throws Exception {
    int servicePort = freePort();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1", 31000);
        BusAgent a2 = agent(bus, "a2", 31100);
        BusAgent a3 = agent(bus, "a3", 31200);
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start();
        KosLb lb = new KosLb(bus.bus(), LbSettings.defaults("it").withBindHost("127.0.0.1"), Clock.systemUTC())
            .start(new LoopSupervisor((loop, cause) -> { }))) {
      CommandSender commands = new CommandSender(bus);
      AppSpec web = AppSpec.newBuilder().setId("/web").setCmd(javaCommand(DemoWebService.class)).setInstances(3)
          .setCpus(0.1).setMem(256).setPorts(List.of(new PortDefinition("http", 0)))
          .setLoadBalancer(LoadBalancer.newBuilder().setPort(servicePort).build()).build();
      assertThat(commands.send("/web", "deploy", DeployApp.newBuilder().setApp(web).build()).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("3 instances of /web running", () -> running(framework).size() == 3);
      TestBus.await("kos lb serves /web on its service port with 3 backends",
          () -> lb.edge().ports().containsKey(servicePort) && lb.edge().backends().get("/web").size() == 3);
      awaitAnswers(servicePort);

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + "/"))
          .timeout(Duration.ofSeconds(20)).GET().build();
      AtomicInteger sentCount = new AtomicInteger();
      load.scheduleAtFixedRate(() -> {
        Instant sent = Instant.now();
        sentCount.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) ->
            outcomes.add(error != null ? new Outcome(sent, Instant.now(), 0, "", error.toString())
                : new Outcome(sent, Instant.now(), response.statusCode(), response.body().trim(), null)));
      }, 0, 5, TimeUnit.MILLISECONDS);
      try {
        Thread.sleep(3000);
        assertThat(commands.send("/web", "scale-6", new ScaleApp("/web", 6)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("6 instances serve through kos lb", () -> running(framework).size() == 6
            && lb.edge().backends().get("/web").size() == 6);
        Thread.sleep(3000);
        assertThat(commands.send("/web", "scale-2", new ScaleApp("/web", 2)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("/web down to 2 instances", () -> framework.instances().size() == 2);
        Thread.sleep(2000);
        String victim = running(framework).get(0).taskId();
        assertThat(commands.send("/web", "kill", new KillInstance(victim, false)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("the killed instance replaced", () -> running(framework).size() == 2
            && running(framework).stream().noneMatch(i -> i.taskId().equals(victim)));
        Thread.sleep(3000);
      } finally {
        load.shutdownNow();
      }
      // Every request sent has its answer before the app goes: on a loaded machine an answer may take seconds, and
      // one still on its way when the app is removed would meet an app with no endpoints.
      load.awaitTermination(10, TimeUnit.SECONDS);
      TestBus.await("an answer to every request sent", () -> outcomes.size() == sentCount.get());
      // Remove the app before judging: an agent that stops leaves its tasks running, and a task of this test that
      // outlived it would hold its port and answer the next run's requests.
      assertThat(commands.send("/web", "remove", new RemoveApp("/web")).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web gone", () -> framework.instances().isEmpty());

      List<Outcome> all = new ArrayList<>(outcomes);
      assertThat(all.size()).as("requests sent").isGreaterThan(1000);
      assertThat(all.stream().filter(Outcome::failed).toList()).as("failed requests of %d", all.size()).isEmpty();

      // Every answer came from an instance that was in the endpoints by then and was not yet killed.
      Map<String, Instant> joined = joined(bus);
      Map<String, Long> kills = KillPlacements.placedAt(bus);
      for (Outcome outcome : all) {
        String taskId = outcome.body().replace("hello from ", "");
        assertThat(joined).as("%s answered by a task that was in kos.endpoints", outcome).containsKey(taskId);
        assertThat(joined.get(taskId)).as("%s: in the endpoints before it answered", outcome)
            .isBeforeOrEqualTo(outcome.answered());
        if (kills.containsKey(taskId)) {
          assertThat(outcome.sent().toEpochMilli()).as("%s: sent before the kill of %s", outcome, taskId)
              .isLessThanOrEqualTo(kills.get(taskId));
        }
      }
      assertThat(kills).as("scale down by 4 and one kill").hasSizeGreaterThanOrEqualTo(5);

      // The balancer's own access log on kos.logs says the same.
      List<TestBus.Keyed<LogLine>> log = bus.readCommitted(Topics.LOGS, all.size()).stream()
          .filter(line -> line.key().equals("lb:it")).toList();
      assertThat(log).hasSizeGreaterThanOrEqualTo(all.size());
      Map<String, Integer> byInstance = new HashMap<>();
      for (TestBus.Keyed<LogLine> line : log) {
        Matcher m = SERVED_BY.matcher(line.value().getLine());
        assertThat(m.find()).as("a backend in %s", line.value().getLine()).isTrue();
        assertThat(line.value().getLine()).contains("\" 200 ");
        byInstance.merge(m.group(1), 1, Integer::sum);
      }
      assertThat(byInstance.size()).as("instances that served").isGreaterThanOrEqualTo(6);
    }
  }

  /** Waits until the service port answers (the first instances listen a moment after they are RUNNING). */
  private static void awaitAnswers(int port) {
    HttpClient http = HttpClient.newHttpClient();
    TestBus.await("/web answers through kos lb", () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** When each task first appeared in /web's endpoints (the record's updatedAt). */
  private static Map<String, Instant> joined(TestBus bus) {
    Map<String, Instant> joined = new HashMap<>();
    for (TestBus.Keyed<AppEndpoints> record : bus.readCommitted(Topics.ENDPOINTS, 1)) {
      if (record.key().equals("/web") && record.value() != null) {
        for (Endpoint endpoint : record.value().getEndpoints()) {
          joined.putIfAbsent(endpoint.getTaskId(), record.value().getUpdatedAt());
        }
      }
    }
    return joined;
  }

  private BusAgent agent(TestBus bus, String id, int firstPort) {
    // Every agent on 127.0.0.1, where kos lb reaches them, each with ports of its own.
    return BusAgent.start(new AgentSettings(id, "127.0.0.1", ResourceFlag.parseExact("cpus:2;mem:2048;ports:["
        + firstPort + "-" + (firstPort + 19) + "]"), Map.of(), Map.of(), dir.resolve(id), bus.bus().settings(),
        Duration.ofSeconds(2), Duration.ofSeconds(10), 1000), Clock.systemUTC());
  }

  private static List<Instance> running(AppsFramework framework) {
    return framework.instances().stream().filter(i -> i.state() == InstanceState.RUNNING).toList();
  }

  private static String javaCommand(Class<?> main) {
    return "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx48m -Xss512k -XX:+UseSerialGC"
        + " -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path") + "' " + main.getName();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
