package dev.kos.cli.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.AppRollup;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupDocuments;
import dev.kos.analytics.query.TimeArgument;
import dev.kos.cli.common.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos analytics rollup}. */
@Command(name = "rollup", mixinStandardHelpOptions = true,
    description = {"An app's log and HTTP figures per minute or hour over [--from, --to).",
        "Latency percentiles (ms) are exact at bucket resolution (docs/analytics.md)."})
public final class AnalyticsRollupCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  AnalyticsOptions analytics;

  @Option(names = "--app", required = true, paramLabel = "ID", description = "The app (`-` for lines without one)")
  String app;

  @Option(names = "--from", defaultValue = "-1h", paramLabel = "TIME", description = "Start (default: ${DEFAULT-VALUE})")
  String from;

  @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "End, exclusive (default: ${DEFAULT-VALUE})")
  String to;

  @Option(names = "--by", defaultValue = "minute", paramLabel = "minute|hour",
      description = "Row width: minute or hour (default: ${DEFAULT-VALUE})")
  String by;

  @Option(names = "--json", description = "One JSON array of the rows, with every counter and the latency histogram")
  boolean json;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant start = TimeArgument.parse(from, now);
    Instant end = TimeArgument.parse(to, now);
    Granularity granularity = granularity(by);
    List<AppRollup> rows;
    try (CqlSession session = analytics.connect()) {
      rows = analytics.queries(session).rollup(app, start, end, granularity);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, rows.stream().map(RollupDocuments::row).toList());
    } else if (rows.isEmpty()) {
      out.printf("no rollups for app %s in [%s, %s)%n", app, start, end);
    } else {
      Table table = new Table(granularity.name(), "LINES", "BYTES", "ERROR", "WARN", "INFO", "DEBUG", "OTHER",
          "MALFORMED", "REQUESTS", "2XX", "3XX", "4XX", "5XX", "P50MS", "P95MS", "P99MS");
      rows.forEach(row -> table.row(tableRow(row)));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  static Granularity granularity(String by) {
    try {
      return Granularity.parse(by);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--by must be minute or hour, got '" + by + "'", e);
    }
  }

  private static String[] tableRow(AppRollup row) {
    AppCounts c = row.counts();
    return new String[] {row.start().toString(), n(c.lines()), n(c.bytes()), n(c.levelError()), n(c.levelWarn()),
        n(c.levelInfo()), n(c.levelDebug()), n(c.levelOther()), n(c.malformed()), n(c.requests()), n(c.status2xx()),
        n(c.status3xx()), n(c.status4xx()), n(c.status5xx()), JsonOutput.orDash(c.latencyPercentile(50)),
        JsonOutput.orDash(c.latencyPercentile(95)), JsonOutput.orDash(c.latencyPercentile(99))};
  }

  private static String n(long value) {
    return Long.toString(value);
  }
}
