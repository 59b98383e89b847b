package dev.kos.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.bus.metrics.MetricsSettings;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.PrometheusPage;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.Endpoint;
import dev.kos.schema.LoadBalancer;
import dev.kos.schema.LogLine;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** kos lb on a real broker, in front of real HTTP backends, fed by records on kos.endpoints. */
@ExtendWith(KafkaBrokerExtension.class)
class KosLbIT {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @Timeout(240)
  void shouldRouteToTheListedInstancesOnlyAndKeepServingPastABadRecord(@BootstrapServers String bootstrap)
      throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2); Backends backends = new Backends()) {
      int one = backends.start("web.1");
      int two = backends.start("web.2");
      int servicePort = freePort();
      bus.publish(Topics.ENDPOINTS, "/web", endpoints("/web", servicePort, List.of(endpoint("web.1", one),
          endpoint("web.2", two))));
      try (KosLb lb = new KosLb(bus.bus(), LbSettings.defaults("it").withBindHost("127.0.0.1").withPathPort(0),
          Clock.systemUTC()).start(new LoopSupervisor((loop, cause) -> { }))) {
        assertThat(lb.awaitCaughtUp(60, TimeUnit.SECONDS)).as("caught up with kos.endpoints").isTrue();

        // Through the app's service port: both instances take turns, and the app sees who asked.
        Map<String, Integer> answeredBy = new HashMap<>();
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> response = get("http://127.0.0.1:" + servicePort + "/hello");
          assertThat(response.statusCode()).isEqualTo(200);
          answeredBy.merge(response.body().split(" ")[0], 1, Integer::sum);
          assertThat(response.body()).contains("/hello").contains("x-forwarded-for=127.0.0.1")
              .contains("x-forwarded-proto=http").contains("x-forwarded-host=127.0.0.1")
              .contains("x-forwarded-port=" + servicePort);
        }
        assertThat(answeredBy).containsOnlyKeys("web.1", "web.2");
        assertThat(answeredBy.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5));

        // By path on the shared listener: the app sees the path below its id.
        int pathPort = lb.edge().pathPort().orElseThrow();
        HttpResponse<String> byPath = get("http://127.0.0.1:" + pathPort + "/web/a/b?c=d");
        assertThat(byPath.statusCode()).isEqualTo(200);
        assertThat(byPath.body()).contains(" /a/b?c=d ");
        assertThat(get("http://127.0.0.1:" + pathPort + "/nothing").statusCode()).isEqualTo(404);

        // A record that does not decode goes to the dead letters; the balancer keeps its backends.
        bus.publishRaw(Topics.ENDPOINTS, "/web", "not avro".getBytes(StandardCharsets.UTF_8));
        List<TestBus.Keyed<DeadLetter>> letters = bus.readCommitted(Topics.DEAD_LETTERS, 1);
        assertThat(letters.get(0).value().getReason()).startsWith("undecodable");
        assertThat(letters.get(0).value().getTopic()).isEqualTo(bus.bus().topic(Topics.ENDPOINTS));
        assertThat(get("http://127.0.0.1:" + servicePort + "/").statusCode()).isEqualTo(200);

        // The process's /metrics over real HTTP, as `kos lb` serves it: the requests above by status class, the
        // app's two backends, the dead letter.
        try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", 0),
            ProcessMetrics.registry()).orElseThrow()) {
          // A request is counted once its exchange completes, which may be just after its client has the answer.
          TestBus.await("the dead letter and the 22 requests counted", () -> {
            PrometheusPage page = PrometheusPage.scrape(server.url());
            return page.has("kos_dead_letters_sent_total", "consumer", "kos-lb-it")
                && page.value("kos_lb_requests_seconds_count", "lb", "it", "app", "/web") >= 22;
          });
          PrometheusPage page = PrometheusPage.scrape(server.url());
          assertThat(page.value("kos_lb_requests_seconds_count", "lb", "it", "app", "/web", "status_class", "2xx"))
              .as("20 on the service port, 1 by path, 1 after the bad record").isEqualTo(22.0);
          assertThat(page.value("kos_lb_requests_seconds_bucket", "lb", "it", "app", "/web", "status_class", "2xx",
              "le", "+Inf")).isEqualTo(22.0);
          assertThat(page.value("kos_lb_backends", "lb", "it", "app", "/web")).isEqualTo(2.0);
          assertThat(page.value("kos_lb_in_flight", "lb", "it", "app", "/web")).isZero();
          assertThat(page.value("kos_dead_letters_sent_total", "topic", bus.bus().topic(Topics.ENDPOINTS),
              "consumer", "kos-lb-it")).isEqualTo(1.0);
        }

        // web.2 leaves the endpoints: no request goes to it any more.
        bus.publish(Topics.ENDPOINTS, "/web", endpoints("/web", servicePort, List.of(endpoint("web.1", one))));
        TestBus.await("web.2 out of the backend set",
            () -> lb.edge().backends().get("/web").stream().noneMatch(b -> b.taskId().equals("web.2.1")));
        for (int i = 0; i < 10; i++) {
          assertThat(get("http://127.0.0.1:" + servicePort + "/").body()).startsWith("web.1 ");
        }

        // A listed instance that refuses connections: GET and POST are retried on the other, none fails.
        int dead = freePort();
        bus.publish(Topics.ENDPOINTS, "/web", endpoints("/web", servicePort, List.of(endpoint("web.1", one),
            endpoint("web.3", dead))));
        TestBus.await("web.3 in the backend set", () -> lb.edge().backends().get("/web").size() == 2);
        for (int i = 0; i < 10; i++) {
          assertThat(get("http://127.0.0.1:" + servicePort + "/").statusCode()).isEqualTo(200);
          HttpResponse<String> post = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + servicePort + "/post")).POST(HttpRequest.BodyPublishers.ofString("x"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(post.statusCode()).isEqualTo(200);
          assertThat(post.body()).startsWith("web.1 ");
        }

        // The app is removed: its port answers no more.
        bus.publish(Topics.ENDPOINTS, "/web", null);
        TestBus.await("the service port closed", () -> !lb.edge().ports().containsKey(servicePort));

        // The access log is on kos.logs.
        List<TestBus.Keyed<LogLine>> logs = bus.readCommitted(Topics.LOGS, 30);
        assertThat(logs).allSatisfy(line -> assertThat(line.key()).isEqualTo("lb:it"));
        assertThat(logs.get(0).value().getLine()).contains("/web").contains("\"GET /hello\" 200");
      }
    }
  }

  @Test
  @Timeout(120)
  void shouldRelayATcpAppsConnectionsToItsListedInstancesOnly(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2); EchoBackends echoes = new EchoBackends()) {
      int one = echoes.start("db.1");
      int two = echoes.start("db.2");
      int servicePort = freePort();
      AppEndpoints both = endpoints("/db", servicePort, List.of(endpoint("db.1", one), endpoint("db.2", two)));
      both.getLoadBalancer().setProtocol("tcp");
      bus.publish(Topics.ENDPOINTS, "/db", both);
      try (KosLb lb = new KosLb(bus.bus(), LbSettings.defaults("it-tcp").withBindHost("127.0.0.1"),
          Clock.systemUTC()).start(new LoopSupervisor((loop, cause) -> { }))) {
        assertThat(lb.awaitCaughtUp(60, TimeUnit.SECONDS)).as("caught up with kos.endpoints").isTrue();
        TestBus.await("the service port open", () -> lb.edge().ports().containsKey(servicePort));
        Map<String, Integer> answeredBy = new HashMap<>();
        for (int i = 0; i < 6; i++) {
          try (java.net.Socket socket = EdgeServerTcpTest.connect(servicePort)) {
            answeredBy.merge(EdgeServerTcpTest.readLine(socket.getInputStream()), 1, Integer::sum);
            socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            assertThat(EdgeServerTcpTest.readLine(socket.getInputStream())).isEqualTo("ping");
          }
        }
        assertThat(answeredBy).containsOnlyKeys("db.1", "db.2");

        // db.2 leaves the endpoints: no new connection goes to it.
        AppEndpoints onlyOne = endpoints("/db", servicePort, List.of(endpoint("db.1", one)));
        onlyOne.getLoadBalancer().setProtocol("tcp");
        bus.publish(Topics.ENDPOINTS, "/db", onlyOne);
        TestBus.await("db.2 out of the backend set", () -> lb.edge().backends().get("/db").size() == 1);
        for (int i = 0; i < 6; i++) {
          try (java.net.Socket socket = EdgeServerTcpTest.connect(servicePort)) {
            assertThat(EdgeServerTcpTest.readLine(socket.getInputStream())).isEqualTo("db.1");
          }
        }
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static Endpoint endpoint(String instanceId, int port) {
    return Endpoint.newBuilder().setInstanceId(instanceId).setTaskId(instanceId + ".1").setAgentId("a1")
        .setHost("127.0.0.1").setPorts(List.of(port)).setVersion("v1").build();
  }

  static AppEndpoints endpoints(String appId, int servicePort, List<Endpoint> endpoints) {
    return AppEndpoints.newBuilder().setAppId(appId).setVersion("v1").setPortNames(List.of("http"))
        .setEndpoints(new ArrayList<>(endpoints))
        .setLoadBalancer(LoadBalancer.newBuilder().setPort(servicePort).build())
        .setUpdatedAt(Instant.now()).build();
  }
}
