package dev.kos.cli.app;

import dev.kos.cli.common.BusOptions;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.AppSpec;
import dev.kos.schema.DeployApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app deploy}. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = {"Deploy a new app from its spec, a JSON file.",
        "The spec is checked against the AppSpec schema first: a violation names the",
        "field, nothing is sent and the exit code is 2. A minimal spec:",
        "  {\"id\": \"/web\", \"cmd\": \"sleep 3600\", \"instances\": 3, \"cpus\": 0.1, \"mem\": 64}",
        "Files each instance needs are fetched into its sandbox before it starts:",
        "  \"artifacts\": [{\"uri\": \"http://repo/web.tgz\", \"sha256\": \"HEX\", \"extract\": true}]",
        "  (uri: file:/PATH on the agent, http:// or https://; sha256: checked, and the agent's",
        "  cache serves it next time; extract: .tar, .tar.gz, .tgz, .zip; executable: chmod +x;",
        "  destination: a path in the sandbox). See docs/containers.md, the fetcher."})
public final class AppDeployCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "FILE", description = "The app spec as JSON (AppSpec); - reads standard input")
  String file;

  @Override
  public Integer call() {
    return command.send(bus, spec, new DeployApp(JsonFile.read(file, AppSpec.class)), Answerer.APPS_FRAMEWORK);
  }
}
