package dev.kos.cli.kafka;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import dev.kos.schema.ConfigureKafkaCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos kafka config NAME key=value ...}. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Change the brokers' server.properties, restarting them one at a time.",
        "Each broker restarts only once no partition is under-replicated. `key=` (empty value) removes an "
            + "override."})
public final class KafkaConfigCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  KafkaCommandOptions command;

  @Parameters(index = "0", paramLabel = "NAME", description = "The cluster")
  String name;

  @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "1..*", description = "Settings to change")
  List<String> settings;

  @Override
  public Integer call() {
    Map<String, String> config = new LinkedHashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new UsageProblem("expected KEY=VALUE, got '" + setting + "'");
      }
      config.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
    }
    return command.send(bus, spec, new ConfigureKafkaCluster(name, config));
  }
}
