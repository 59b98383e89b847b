package dev.kos.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.MetricSample;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The web service of {@code kos demo}, run by an agent as a task: an HTTP server on {@code $PORT0}
 * that writes one access-log line per request to stdout (the format docs/analytics.md parses) and,
 * as a service on kos does, reports its own load: its requests per second on kos.metrics every
 * second ({@code kind = service}), which the autoscaler reads.
 *
 * <p>Paths: {@code /health} (200, not logged), {@code /missing} (404), {@code /fail} (500),
 * anything else 200.
 */
public final class DemoWebService {

  static final String METRIC = "requestsPerSecond";
  private static final DateTimeFormatter ACCESS_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final PrintStream accessLog;
  private final AtomicLong requests = new AtomicLong();

  private DemoWebService(PrintStream accessLog) {
    this.accessLog = accessLog;
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    int port = Integer.parseInt(env.getOrDefault("PORT0", "8080"));
    DemoWebService service = new DemoWebService(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 64);
    server.createContext("/", service::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.err.println("demo web service listening on port " + port);
    if (env.containsKey("KOS_BOOTSTRAP_SERVER")) {
      service.reportLoad(env);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    int status = switch (path) {
      case "/missing" -> 404;
      case "/fail" -> 500;
      default -> 200;
    };
    byte[] body = (status == 200 ? "hello from " + System.getenv().getOrDefault("KOS_TASK_ID", "demo") + "\n"
        : "status " + status + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    // Health probes are not traffic: neither counted in the load nor written to the access log.
    if (path.equals("/health")) {
      return;
    }
    requests.incrementAndGet();
    double millis = (System.nanoTime() - started) / 1e6;
    accessLog.printf(Locale.ROOT, "%s - - [%s] \"%s %s %s\" %d %d %.3fms%n",
        exchange.getRemoteAddress().getAddress().getHostAddress(), ACCESS_TIME.format(Instant.now()),
        exchange.getRequestMethod(), path, exchange.getProtocol(), status, body.length, millis);
  }

  /** Every second: requests per second since the last report, keyed by this task's source id. */
  private void reportLoad(Map<String, String> env) {
    TopicCatalog catalog = new TopicCatalog(env.getOrDefault("KOS_TOPIC_PREFIX", TopicCatalog.DEFAULT_PREFIX),
        TopicCatalog.DEFAULT_PARTITIONS, (short) 1);
    ControlBus bus = new ControlBus(new BusSettings(env.get("KOS_BOOTSTRAP_SERVER"), env.get("KOS_SCHEMA_REGISTRY"),
        catalog));
    BusPublisher publisher = new BusPublisher(bus, "demo-web-" + env.getOrDefault("KOS_TASK_ID", "local"));
    String appId = env.getOrDefault("KOS_APP_ID", "/demo/web");
    String sourceId = "service:" + appId + ":" + env.getOrDefault("KOS_TASK_ID", "local");
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    AtomicLong lastCount = new AtomicLong();
    AtomicLong lastAt = new AtomicLong(System.nanoTime());
    reporter.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      long count = requests.get();
      double perSecond = (count - lastCount.getAndSet(count)) / ((now - lastAt.getAndSet(now)) / 1e9);
      publisher.publishAsync(Topics.METRICS, sourceId, MetricSample.newBuilder().setSourceId(sourceId)
              .setKind("service").setAppId(appId).setTaskId(env.get("KOS_TASK_ID")).setAgentId(env.get("KOS_AGENT_ID"))
              .setValues(Map.of(METRIC, perSecond)).setTimestamp(Instant.now()).build(),
          error -> System.err.println("could not report load: " + error));
    }, 1, 1, TimeUnit.SECONDS);
  }
}
