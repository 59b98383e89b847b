package dev.kos.bus.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a registry's page at {@code GET /metrics} in Prometheus's text format, for the processes that have no HTTP
 * server of their own (the allocator, agents, frameworks, {@code kos lb}, {@code kos up}). One read-only route
 * needs no web framework: the JDK's own server ({@code com.sun.net.httpserver}, in every JDK kos runs on) serves it
 * on one thread, and the allocator, agents and frameworks stay free of Javalin and Undertow, which only the API and
 * the balancer carry for their real work. The API serves its page through its own Javalin routes, behind its tokens.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  public static final String PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService thread;
  private final String url;

  private MetricsServer(HttpServer server, ExecutorService thread, String url) {
    this.server = server;
    this.thread = thread;
    this.url = url;
  }

  /** Serves {@code registry} as {@code settings} say; empty when they turn the page off. */
  public static Optional<MetricsServer> start(MetricsSettings settings, PrometheusMeterRegistry registry) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + settings.host() + ":" + settings.port() + " ("
          + e.getMessage() + "); choose another --metrics-port, 0 for any free one, or -1 for none", e);
    }
    server.createContext("/", exchange -> answer(exchange, registry));
    ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, "kos-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.start();
    MetricsServer started = new MetricsServer(server, thread, settings.url(server.getAddress().getPort()));
    log.info("metrics at {}", started.url());
    return Optional.of(started);
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!PATH.equals(path)) {
        send(exchange, 404, "text/plain; charset=utf-8", "kos serves its metrics at " + PATH + "\n");
      } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", PATH + " answers GET only\n");
      } else {
        send(exchange, 200, ProcessMetrics.CONTENT_TYPE, registry.scrape());
      }
    } catch (RuntimeException e) {
      log.warn("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port it listens on (the one it got, when asked for 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Where the page is, e.g. {@code http://127.0.0.1:39123/metrics}. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
