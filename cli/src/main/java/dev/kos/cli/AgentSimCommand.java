package dev.kos.cli;

import dev.kos.agent.config.AttributeFlag;
import dev.kos.agent.config.DurationFlag;
import dev.kos.agent.config.HostResources;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.sim.BusFleet;
import dev.kos.agent.sim.SimSpec;
import dev.kos.agent.sim.TaskDurations;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UntilStopped;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos agent-sim}: thousands of simulated agents in this JVM, for scale tests. */
@Command(name = "agent-sim", mixinStandardHelpOptions = true,
    description = {
        "Run a fleet of simulated agents in this JVM: each registers on kos.agents,",
        "heartbeats, and answers placements like a real agent (STARTING, RUNNING,",
        "then FINISHED or FAILED after a simulated run time; KILLED on a kill),",
        "without running anything. One producer and one consumer serve the fleet.",
        "Runs in the foreground until Ctrl-C; prints figures every --report-every."})
public final class AgentSimCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "1000",
      description = "How many agents (default: ${DEFAULT-VALUE})")
  int agents;

  @Option(names = "--id-prefix", paramLabel = "PREFIX", defaultValue = "sim",
      description = "Agents are named PREFIX-0, PREFIX-1, ... (default: ${DEFAULT-VALUE})")
  String idPrefix;

  @Option(names = "--resources", paramLabel = "RESOURCES", defaultValue = "cpus:8;mem:32768;disk:100000;ports:[31000-32000]",
      description = "What each agent offers (default: ${DEFAULT-VALUE})")
  String resources;

  @Option(names = "--attributes", paramLabel = "ATTRIBUTES", defaultValue = "",
      description = "Attributes of every agent, e.g. 'rack:sim,zone:a'")
  String attributes;

  @Option(names = "--task-duration", paramLabel = "DIST", defaultValue = "exp:30s",
      description = "How long tasks run: exp:MEAN or fixed:DURATION (default: ${DEFAULT-VALUE})")
  String taskDuration;

  @Option(names = "--failure-rate", paramLabel = "P", defaultValue = "0.01",
      description = "Probability that a task ends FAILED instead of FINISHED (default: ${DEFAULT-VALUE})")
  double failureRate;

  @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "5s",
      description = "Heartbeat interval of every agent, spread evenly over the fleet (default: ${DEFAULT-VALUE})")
  String heartbeat;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of task durations and failures, for repeatable runs (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--report-every", paramLabel = "DURATION", defaultValue = "10s",
      description = "How often to print the fleet's figures (default: ${DEFAULT-VALUE})")
  String reportEvery;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    SimSpec simSpec = simSpec();
    long printMillis = DurationFlag.parse(reportEvery).toMillis();
    BusFleet fleet = AgentCommand.startOnBus(() -> BusFleet.start(simSpec, bus.settings(), Clock.systemUTC()));
    UntilStopped life = UntilStopped.onStop("agent-sim", () -> {
      fleet.close();
      out.println("simulated fleet stopped");
    });
    out.printf("%d simulated agents (%s-0 .. %s-%d) are up; Ctrl-C stops them.%n", simSpec.agents(),
        simSpec.idPrefix(), simSpec.idPrefix(), simSpec.agents() - 1);
    long reports = fleet.reportsSent();
    long statuses = fleet.statusesSent();
    while (!life.await(printMillis)) {
      long nowReports = fleet.reportsSent();
      long nowStatuses = fleet.statusesSent();
      out.printf("agents %d, tasks running %d, reports %.0f/s, statuses %.0f/s%n", simSpec.agents(),
          fleet.runningTasks(), (nowReports - reports) * 1000.0 / printMillis,
          (nowStatuses - statuses) * 1000.0 / printMillis);
      reports = nowReports;
      statuses = nowStatuses;
    }
    return 0;
  }

  SimSpec simSpec() {
    return new SimSpec(agents, idPrefix, ResourceFlag.parse(resources, HostResources.detect(Path.of("."))),
        AttributeFlag.parse(attributes), TaskDurations.parse(taskDuration), failureRate,
        DurationFlag.parse(heartbeat), seed);
  }

}
