package dev.kos.bus.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.testing.PrometheusPage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The page over real HTTP on a loopback port: what Prometheus reads, and what else a client gets. */
class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeTheRegistryInPrometheusTextFormatAtMetricsOnly() throws Exception {
    PrometheusMeterRegistry registry = ProcessMetrics.newRegistry();
    Counter.builder("kos_test_things").tag("kind", "a").register(registry).increment(3);
    try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", 0), registry).orElseThrow()) {
      assertThat(server.port()).isPositive();
      assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");

      PrometheusPage page = PrometheusPage.scrape(server.url());
      assertThat(page.value("kos_test_things_total", "kind", "a")).isEqualTo(3.0);
      assertThat(page.text()).containsPattern("# TYPE kos_test_things(_total)? counter");

      HttpResponse<String> elsewhere = send("GET", "http://127.0.0.1:" + server.port() + "/other");
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(elsewhere.body()).contains("/metrics");
      HttpResponse<String> post = send("POST", server.url());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }
  }

  @Test
  void shouldServeNothingWithPortMinusOneAndSayWhatToDoWhenThePortIsTaken() {
    PrometheusMeterRegistry registry = ProcessMetrics.newRegistry();
    assertThat(MetricsServer.start(new MetricsSettings("127.0.0.1", MetricsSettings.OFF), registry)).isEmpty();
    try (MetricsServer first = MetricsServer.start(new MetricsSettings("127.0.0.1", 0), registry).orElseThrow()) {
      assertThatThrownBy(() -> MetricsServer.start(new MetricsSettings("127.0.0.1", first.port()), registry))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot serve metrics on 127.0.0.1:" + first.port())
          .hasMessageContaining("--metrics-port");
    }
  }

  private HttpResponse<String> send(String method, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
