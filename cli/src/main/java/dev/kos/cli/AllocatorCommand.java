package dev.kos.cli;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.AccessPolicyOption;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.DurationConverter;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UntilStopped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos allocator}: the first level of two-level scheduling, as a process of its own. */
@Command(name = "allocator", mixinStandardHelpOptions = true,
    description = {
        "Run the allocator: a Kafka Streams application (exactly-once) that turns agents' capacity",
        "reports into offers to frameworks, accepted offers into placements on agents, and task",
        "statuses back into free resources. Instances with the same --application-id share the",
        "agent shards. Runs in the foreground until Ctrl-C."})
public final class AllocatorCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @ParentCommand
  Kos kos;

  @Mixin
  BusOptions bus;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "kos-allocator",
      description = "Kafka Streams application id; instances with the same id share the work (default: ${DEFAULT-VALUE})")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the allocator keeps its local state (default: $KOS_HOME/allocator)")
  Path stateDir;

  @Option(names = "--round-interval", paramLabel = "DURATION", defaultValue = "50ms", converter = DurationConverter.class,
      description = "Wall-clock interval of allocation rounds and offer expiry (default: ${DEFAULT-VALUE})")
  Duration roundInterval;

  @Option(names = "--agent-timeout", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
      description = "An agent silent this long is lost: offers rescinded, tasks LOST (default: ${DEFAULT-VALUE})")
  Duration agentTimeout;

  @Option(names = "--offer-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "An offer not answered this long is rescinded (default: ${DEFAULT-VALUE})")
  Duration offerTimeout;

  @Option(names = "--staging-timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
      description = "A launched task with no status from its agent this long is reported LOST and its resources "
          + "freed; a kill the agent does not confirm is given up as long (default: ${DEFAULT-VALUE})")
  Duration stagingTimeout;

  @Mixin
  AccessPolicyOption access;

  @Mixin
  MetricsOptions metrics;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
      description = "Any further Kafka Streams setting, repeatable (e.g. num.stream.threads=2)")
  Map<String, String> streamsConfig = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    Path state = stateDir != null ? stateDir : kos.home().dir().resolve("allocator");
    Files.createDirectories(state);
    Optional<MetricsServer> served = metrics.serve(out);
    AllocatorService allocator;
    try {
      allocator = AllocatorService.start(bus.connect(),
          new AllocatorSettings(roundInterval, agentTimeout, offerTimeout).withStagingTimeout(stagingTimeout)
              .withAccess(access.policy()), applicationId, state,
          new HashMap<>(streamsConfig), Duration.ofSeconds(120));
    } catch (RuntimeException | InterruptedException e) {
      MetricsOptions.close(served);
      throw e;
    }
    UntilStopped life = UntilStopped.onStop("allocator", () -> {
      allocator.close();
      MetricsOptions.close(served);
    });
    out.printf("allocator %s running against %s; Ctrl-C stops it%n", applicationId, bus.bootstrapServer());
    life.await();
    return 0;
  }
}
