package dev.kos.cli.job;

import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.ApiOptions;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.Formats;
import dev.kos.cli.results.JsonListing;
import dev.kos.schema.JobRun;
import dev.kos.schema.JobState;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos job list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the jobs.",
        "SCHEDULE is the cron or @every expression (- runs once), LAST RUN the latest run and its",
        "state, NEXT when the schedule starts the next run (UTC), WAITING why the current run has",
        "no place yet (for example: its role is held back while the cluster is busy)."})
public final class JobListCommand implements Callable<Integer> {

  static final String[] HEADER = {"ID", "SCHEDULE", "LAST RUN", "STATE", "NEXT", "WAITING"};

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  ApiOptions api;

  @Option(names = "--json", description = "One JSON array of the jobs' full state (JobState records)")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CompactedTopic.Latest<JobState> jobs = api.read(bus, Topics.JOBS);
    jobs.warnIfIncomplete(spec.commandLine().getErr());
    if (json) {
      JsonListing.printArray(out, jobs.byKey().values());
    } else if (jobs.byKey().isEmpty()) {
      out.println("no jobs yet; `kos job run FILE` runs one");
    } else {
      Table table = new Table(HEADER);
      jobs.byKey().values().forEach(job -> table.row(row(job)));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  static String[] row(JobState job) {
    JobRun last = job.getRuns().isEmpty() ? null : job.getRuns().get(job.getRuns().size() - 1);
    return new String[] {job.getJobId(), Formats.orDash(job.getSpec().getSchedule()),
        last == null ? "-" : last.getRunId(), last == null ? "-" : last.getState(),
        job.getNextRunAt() == null ? "-" : job.getNextRunAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        Formats.orDash(job.getWaiting())};
  }
}
