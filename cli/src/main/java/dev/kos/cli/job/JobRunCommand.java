package dev.kos.cli.job;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.app.JsonFile;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.JobSpec;
import dev.kos.schema.RunJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos job run}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a job from its spec, a JSON file: once now, or on its schedule.",
        "The spec is checked against the JobSpec schema first: a violation names the field,",
        "nothing is sent and the exit code is 2. The jobs framework then checks the rest",
        "(resources, cron syntax, role) and rejects a bad spec naming the field (exit code 1).",
        "  {\"id\": \"hello\", \"cmd\": \"echo hello\", \"cpus\": 0.1, \"mem\": 32}",
        "  {\"id\": \"report\", \"cmd\": \"./report.sh\", \"schedule\": \"*/15 * * * *\",",
        "   \"retries\": 2, \"deadlineSeconds\": 600}"})
public final class JobRunCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "FILE", description = "The job spec as JSON (JobSpec); - reads standard input")
  String file;

  @Override
  public Integer call() {
    return command.send(bus, spec, new RunJob(JsonFile.read(file, JobSpec.class)), Answerer.JOBS_FRAMEWORK);
  }
}
