package dev.kos.cli.cluster;

import dev.kos.bus.client.Answerer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.RegisterFramework;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos framework register ID --name NAME --role ROLE}. */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = {"Register a framework id and name with the allocator ahead of its process (RegisterFramework).",
        "The registration gets no offers until the framework's process starts and registers itself.",
        "The allocator rejects an id already registered or a name another framework has; needs @all:admin."})
public final class FrameworkRegisterCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The framework's id")
  String frameworkId;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Its name, unique among frameworks")
  String name;

  @Option(names = "--framework-role", required = true, paramLabel = "ROLE",
      description = "The role it is offered resources in")
  String frameworkRole;

  @Option(names = "--weight", paramLabel = "W", defaultValue = "1.0",
      description = "Its weight within the role, > 0 (default: ${DEFAULT-VALUE})")
  double weight;

  @Option(names = "--failover-timeout", paramLabel = "DURATION", defaultValue = "168h",
      converter = dev.kos.cli.common.DurationConverter.class,
      description = "How long it may be silent before the allocator unregisters it (default: ${DEFAULT-VALUE})")
  Duration failoverTimeout;

  @Override
  public Integer call() {
    return command.send(bus, spec, new RegisterFramework(frameworkId, name, frameworkRole, weight,
        failoverTimeout.toSeconds()), Answerer.ALLOCATOR);
  }
}
