package dev.kos.cli.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.query.AppTotal;
import dev.kos.analytics.query.Metric;
import dev.kos.analytics.query.TimeArgument;
import dev.kos.cli.common.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos analytics top}. */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = "The apps with the highest total of a metric over [--since, --to).")
public final class AnalyticsTopCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  AnalyticsOptions analytics;

  @Option(names = "--metric", defaultValue = "errors", paramLabel = "METRIC",
      description = "errors, warnings, lines, bytes, requests, 5xx or malformed (default: ${DEFAULT-VALUE})")
  String metric;

  @Option(names = "--since", defaultValue = "1d", paramLabel = "TIME", description = "Start (default: ${DEFAULT-VALUE})")
  String since;

  @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "End, exclusive (default: ${DEFAULT-VALUE})")
  String to;

  @Option(names = "--limit", defaultValue = "10", paramLabel = "N", description = "At most N apps (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--json", description = "One JSON array of {app, value}")
  boolean json;

  @Override
  public Integer call() {
    Metric ranked = Metric.parse(metric);
    Instant now = Instant.now();
    Instant start = TimeArgument.parse(since, now);
    Instant end = TimeArgument.parse(to, now);
    List<AppTotal> top;
    try (CqlSession session = analytics.connect()) {
      top = analytics.queries(session).top(ranked, start, end, limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, top.stream().map(total -> toJson(ranked, total)).toList());
    } else if (top.isEmpty()) {
      out.printf("no app has %s in [%s, %s)%n", ranked.cliName(), start, end);
    } else {
      Table table = new Table("APP", ranked.cliName().toUpperCase(Locale.ROOT));
      top.forEach(total -> table.row(total.app(), Long.toString(total.value())));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> toJson(Metric metric, AppTotal total) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("app", total.app());
    json.put("metric", metric.cliName());
    json.put("value", total.value());
    return json;
  }
}
