package dev.kos.cli.app;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.ScalingPolicy;
import dev.kos.schema.SetScalingPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app policy ID FILE|--clear}. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Set or clear an app's scaling policy.",
        "The policy is a JSON file checked against the ScalingPolicy schema, e.g.",
        "  {\"metric\": \"requestsPerSecond\", \"target\": 100, \"minInstances\": 2,",
        "   \"maxInstances\": 10, \"mode\": \"AUTOMATIC\"}"})
public final class AppPolicyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ID", description = "The app's id, e.g. /team-a/web")
  String appId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
      description = "The policy as JSON (ScalingPolicy); - reads standard input")
  String file;

  @Option(names = "--clear", description = "Remove the app's scaling policy instead")
  boolean clear;

  @Override
  public Integer call() {
    ScalingPolicy policy = JsonFile.policyOrClear(file, clear);
    return command.send(bus, spec, new SetScalingPolicy(appId, policy), Answerer.APPS_FRAMEWORK);
  }
}
