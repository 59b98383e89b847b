package dev.kos.cli.kafka;

import dev.kos.cli.app.JsonFile;
import dev.kos.cli.common.BusOptions;
import dev.kos.schema.ScalingPolicy;
import dev.kos.schema.SetKafkaScalingPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka policy NAME FILE|--clear}, as {@code kos app policy} is for an app. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Set or clear a cluster's scaling policy: brokers added or removed to keep a per-broker metric",
        "near a target. The metric is one of the brokers' own samples on kos.metrics, averaged over the brokers:",
        "bytesInPerSec, bytesOutPerSec (over the last sample, from JMX), partitions, leaders, logDirBytes,",
        "logGrowthBytesPerSec. The allocator's autoscaler decides (kos.scale-decisions, `kos events`): ADVISORY",
        "only announces the decision, AUTOMATIC also adds the brokers it asks for or removes the newest broker-only",
        "node, one at a time (maxStepDown must be 1; minInstances at least the cluster's KRaft controllers).",
        "The policy is a JSON file checked against the ScalingPolicy schema, e.g.",
        "  {\"metric\": \"bytesInPerSec\", \"target\": 5000000, \"minInstances\": 3, \"maxInstances\": 6,",
        "   \"mode\": \"ADVISORY\", \"cooldownSeconds\": 120}"})
public final class KafkaPolicyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  KafkaCommandOptions command;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
      description = "The policy as JSON (ScalingPolicy); - reads standard input")
  String file;

  @Option(names = "--clear", description = "Remove the cluster's scaling policy instead")
  boolean clear;

  @Option(names = "--json", description = "Print the framework's answer as its CommandResult")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    ScalingPolicy policy = JsonFile.policyOrClear(file, clear);
    return command.send(bus, spec, new SetKafkaScalingPolicy(name, policy), json);
  }
}
