package dev.kos.cli.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.query.HttpSummary;
import dev.kos.analytics.query.TimeArgument;
import dev.kos.cli.common.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos analytics http}. */
@Command(name = "http", mixinStandardHelpOptions = true,
    description = "An app's HTTP requests, status classes and latency percentiles (ms) since a time.")
public final class AnalyticsHttpCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  AnalyticsOptions analytics;

  @Option(names = "--app", required = true, paramLabel = "ID", description = "The app")
  String app;

  @Option(names = "--since", defaultValue = "1h", paramLabel = "TIME", description = "Start (default: ${DEFAULT-VALUE})")
  String since;

  @Option(names = "--json", description = "One JSON object")
  boolean json;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    HttpSummary summary;
    try (CqlSession session = analytics.connect()) {
      summary = analytics.queries(session).http(app, TimeArgument.parse(since, now), now);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, toJson(summary));
    } else {
      Table table = new Table("APP", "REQUESTS", "2XX", "3XX", "4XX", "5XX", "P50MS", "P95MS", "P99MS");
      table.row(summary.app(), Long.toString(summary.requests()), Long.toString(summary.status2xx()),
          Long.toString(summary.status3xx()), Long.toString(summary.status4xx()), Long.toString(summary.status5xx()),
          JsonOutput.orDash(summary.p50()), JsonOutput.orDash(summary.p95()), JsonOutput.orDash(summary.p99()));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> toJson(HttpSummary summary) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("app", summary.app());
    json.put("from", summary.from().toString());
    json.put("to", summary.to().toString());
    json.put("requests", summary.requests());
    json.put("status", Map.of("2xx", summary.status2xx(), "3xx", summary.status3xx(), "4xx", summary.status4xx(),
        "5xx", summary.status5xx()));
    Map<String, Integer> latency = new LinkedHashMap<>();
    latency.put("p50", JsonOutput.orNull(summary.p50()));
    latency.put("p95", JsonOutput.orNull(summary.p95()));
    latency.put("p99", JsonOutput.orNull(summary.p99()));
    json.put("latencyMs", latency);
    return json;
  }
}
