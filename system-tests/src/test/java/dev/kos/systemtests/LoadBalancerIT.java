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
import dev.kos.lb.KosLb;
import dev.kos.lb.LbSettings;
import dev.kos.lb.core.Backend;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.Endpoint;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.KillInstance;
import dev.kos.schema.LoadBalancer;
import dev.kos.schema.LogLine;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskState;
import dev.kos.schema.UpdateApp;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kos lb under steady load (200 requests/s) in front of a health-checked app on three real agents, through the
 * allocator and the apps framework, while the app goes through a rolling upgrade of its 3 instances, is scaled
 * 3 -> 6 -> 2, has one instance killed (`kos task kill`) and loses an agent to a drain (`kos agent drain`): no request
 * fails, and every request is answered by an instance that was in kos.endpoints then and had not been killed; the
 * balancer's access log, set against the agents' health reports on kos.task-status, shows every request taken by a
 * task that was healthy at the time.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LoadBalancerIT {

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
  void shouldFailNoRequestAcrossAnUpgradeScalingAKillAndADrain(@BootstrapServers String bootstrap) throws Exception {
    int servicePort = freePort();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1", 0);
        BusAgent a2 = agent(bus, "a2", 100);
        BusAgent a3 = agent(bus, "a3", 200);
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start();
        KosLb lb = new KosLb(bus.bus(), LbSettings.defaults("it").withBindHost("127.0.0.1"), Clock.systemUTC())
            .start(new LoopSupervisor((loop, cause) -> { }))) {
      CommandSender commands = new CommandSender(bus);
      AppSpec web = AppSpec.newBuilder().setId("/web").setCmd(javaCommand(DemoWebService.class)).setInstances(3)
          .setCpus(0.1).setMem(256).setPorts(List.of(new PortDefinition("http", 0)))
          .setLoadBalancer(LoadBalancer.newBuilder().setPort(servicePort).build())
          .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/health")
              .setGracePeriodSeconds(60).setIntervalSeconds(1).setTimeoutSeconds(5).build()))
          .build();
      assertThat(commands.send("/web", "deploy", DeployApp.newBuilder().setApp(web).build()).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("3 instances of /web serving", () -> serving(framework).size() == 3);
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
        // A rolling upgrade: new tasks join once healthy, old ones leave before they are killed.
        AppSpec upgraded = AppSpec.newBuilder(web).setEnv(Map.of("RELEASE", "2")).build();
        assertThat(commands.send("/web", "upgrade", UpdateApp.newBuilder().setApp(upgraded).build()).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("3 instances of the new version serve through kos lb, and no old one is left", () ->
            framework.instances().size() == 3 && serving(framework).size() == 3
                && serving(framework).stream().allMatch(i -> i.version().equals("upgrade"))
                && backendTasks(lb).equals(taskIds(serving(framework))));
        Thread.sleep(3000);
        assertThat(commands.send("/web", "scale-6", new ScaleApp("/web", 6)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("6 instances serve through kos lb", () -> serving(framework).size() == 6
            && backendTasks(lb).size() == 6);
        Thread.sleep(3000);
        assertThat(commands.send("/web", "scale-2", new ScaleApp("/web", 2)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("/web down to 2 instances", () -> framework.instances().size() == 2);
        Thread.sleep(2000);
        String victim = serving(framework).get(0).taskId();
        assertThat(commands.send("/web", "kill", new KillInstance(victim, false)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("the killed instance replaced", () -> serving(framework).size() == 2
            && serving(framework).stream().noneMatch(i -> i.taskId().equals(victim)));
        Thread.sleep(2000);
        // An agent drain: its instances move elsewhere, each new one serving before the old one goes.
        String drained = serving(framework).get(0).agent().agentId();
        assertThat(commands.send(drained, "drain", new DrainAgent(drained)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("no /web instance left on the drained agent " + drained, () ->
            framework.instances().size() == 2 && serving(framework).size() == 2
                && framework.instances().stream().noneMatch(i -> i.agent().agentId().equals(drained))
                && backendTasks(lb).equals(taskIds(serving(framework))));
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
      assertThat(kills).as("3 upgraded, scale down by 4, one kill, one drained").hasSizeGreaterThanOrEqualTo(9);

      // The balancer's own access log on kos.logs says the same: each request was taken by a task that its agent
      // had last reported healthy (kos.task-status) and whose kill was not placed yet.
      List<TestBus.Keyed<LogLine>> log = bus.readCommitted(Topics.LOGS, all.size()).stream()
          .filter(line -> line.key().equals("lb:it")).toList();
      assertThat(log).hasSizeGreaterThanOrEqualTo(all.size());
      List<ServedWhileHealthy.Request> requests = new ArrayList<>();
      for (TestBus.Keyed<LogLine> line : log) {
        Optional<ServedWhileHealthy.Request> taken = ServedWhileHealthy.parse(line.value().getLine());
        assertThat(taken).as("a backend in %s", line.value().getLine()).isPresent();
        assertThat(taken.get().status()).as(line.value().getLine()).isEqualTo(200);
        requests.add(taken.get());
      }
      List<ServedWhileHealthy.Report> reports = bus.readCommitted(Topics.TASK_STATUS, 1).stream()
          .map(TestBus.Keyed::value).filter(status -> "/web".equals(status.getAppId()))
          .map(status -> new ServedWhileHealthy.Report(status.getTaskId(), status.getTimestamp(),
              status.getState() == TaskState.RUNNING && Boolean.TRUE.equals(status.getHealthy())))
          .toList();
      Map<String, Instant> killedAt = new HashMap<>();
      kills.forEach((task, millis) -> killedAt.put(task, Instant.ofEpochMilli(millis)));
      assertThat(ServedWhileHealthy.violations(reports, killedAt, requests))
          .as("requests taken by a task not healthy at the time, or killed").isEmpty();
      assertThat(requests.stream().map(ServedWhileHealthy.Request::taskId).distinct().count())
          .as("tasks that served").isGreaterThanOrEqualTo(9);
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

  private BusAgent agent(TestBus bus, String id, int portOffset) {
    // Every agent on 127.0.0.1, where kos lb reaches them, each with ports of its own.
    return BusAgent.start(new AgentSettings(id, "127.0.0.1", ResourceFlag.parseExact("cpus:2;mem:2048;ports:"
        + ForkPorts.range(portOffset, 20)), Map.of(), Map.of(), dir.resolve(id), bus.bus().settings(),
        Duration.ofSeconds(2), Duration.ofSeconds(10), 1000), Clock.systemUTC());
  }

  /** The instances that serve: RUNNING and healthy. */
  private static List<Instance> serving(AppsFramework framework) {
    return framework.instances().stream().filter(Instance::serves).toList();
  }

  private static Set<String> taskIds(List<Instance> instances) {
    return instances.stream().map(Instance::taskId).collect(Collectors.toSet());
  }

  /** The tasks kos lb sends /web's requests to now. */
  private static Set<String> backendTasks(KosLb lb) {
    return lb.edge().backends().getOrDefault("/web", List.of()).stream().map(Backend::taskId)
        .collect(Collectors.toSet());
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
