package dev.kos.cli.analytics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kos analytics}: log and metric rollups in Cassandra (docs/analytics.md). */
@Command(name = "analytics", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = {"Query the per-minute rollups of task logs and metrics kept in Cassandra.",
        "",
        "Every command takes --cassandra host:port,... (default: the node `kos up --analytics`",
        "started) and --keyspace; --json prints one JSON document for scripts.",
        "Times: now, an age (-1h, 30m, 7d) or an instant (2026-11-25T10:00:00Z)."},
    subcommands = {AnalyticsRunCommand.class, AnalyticsRollupCommand.class, AnalyticsTopCommand.class,
        AnalyticsHttpCommand.class, AnalyticsUsageCommand.class})
public final class AnalyticsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "kos analytics needs a command: "
        + String.join(", ", spec.subcommands().keySet()) + " (kos analytics --help explains them)");
  }
}
