package dev.kos.cli.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.query.AgentUsageBucket;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupDocuments;
import dev.kos.analytics.query.TimeArgument;
import dev.kos.cli.common.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos analytics usage}. */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = {"One agent's task CPU (cores) and memory (MiB) per minute or hour over [--from, --to), per role.",
        "From the task samples on kos.metrics; averages are per sample (one task's sample each), maxima the",
        "largest sample. Agents: `kos agent list`."})
public final class AnalyticsUsageCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  AnalyticsOptions analytics;

  @Option(names = "--agent", required = true, paramLabel = "ID", description = "The agent")
  String agent;

  @Option(names = "--from", defaultValue = "-1h", paramLabel = "TIME", description = "Start (default: ${DEFAULT-VALUE})")
  String from;

  @Option(names = "--to", defaultValue = "now", paramLabel = "TIME", description = "End, exclusive (default: ${DEFAULT-VALUE})")
  String to;

  @Option(names = "--by", defaultValue = "minute", paramLabel = "minute|hour",
      description = "Row width: minute or hour (default: ${DEFAULT-VALUE})")
  String by;

  @Option(names = "--json", description = "One JSON array of {start, roles: [{role, samples, cpuCores, memMiB}]}")
  boolean json;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant start = TimeArgument.parse(from, now);
    Instant end = TimeArgument.parse(to, now);
    Granularity granularity = AnalyticsRollupCommand.granularity(by);
    List<AgentUsageBucket> buckets;
    try (CqlSession session = analytics.connect()) {
      buckets = analytics.queries(session).agentUsage(agent, start, end, granularity);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, buckets.stream().map(RollupDocuments::usage).toList());
    } else if (buckets.isEmpty()) {
      out.printf("no task samples of agent %s in [%s, %s)%n", agent, start, end);
    } else {
      Table table = new Table(granularity.name(), "ROLE", "SAMPLES", "CPU_AVG", "CPU_MAX", "MEM_AVG_MIB", "MEM_MAX_MIB");
      buckets.forEach(bucket -> bucket.roles().forEach(usage -> table.row(bucket.start().toString(), usage.role(),
          Long.toString(usage.samples()), decimal(usage.cpuAverage()), decimal(usage.cpuMax()),
          decimal(usage.memAverageMib()), decimal(usage.memMax()))));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
