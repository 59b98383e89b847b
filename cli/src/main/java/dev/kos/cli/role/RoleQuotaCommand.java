package dev.kos.cli.role;

import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bus.client.Answerer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.results.CommandOptions;
import dev.kos.schema.Resources;
import dev.kos.schema.SetQuota;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos role quota ROLE --guarantee 'cpus:2;mem:4096' --limit 'cpus:8'}. */
@Command(name = "quota", mixinStandardHelpOptions = true,
    description = {"Set a role's quota (SetQuota): a guarantee it is served first up to, and a limit it never",
        "exceeds. Both are replaced: what you leave out is cleared. In a limit, a resource left out or 0",
        "is not limited. The role must exist (kos role configure creates one). The allocator answers",
        "with the role's new settings, or rejects the quota with the reason."})
public final class RoleQuotaCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Mixin
  CommandOptions command;

  @Parameters(index = "0", paramLabel = "ROLE", description = "The role, e.g. web or batch")
  String role;

  @Option(names = "--guarantee", paramLabel = "RESOURCES",
      description = "What the role is served before fair sharing, e.g. 'cpus:2;mem:4096' (mem and disk in MiB)")
  String guarantee;

  @Option(names = "--limit", paramLabel = "RESOURCES",
      description = "What the role may never hold more of, offers included, e.g. 'cpus:8;mem:16384'")
  String limit;

  @Override
  public Integer call() {
    return command.send(bus, spec, new SetQuota(role, resources("--guarantee", guarantee),
        resources("--limit", limit)), Answerer.ALLOCATOR);
  }

  private Resources resources(String option, String flag) {
    if (flag == null) {
      return null;
    }
    try {
      ResourceSet set = ResourceFlag.parseExact(flag);
      if (!set.ports().isEmpty()) {
        throw new IllegalArgumentException("a quota counts cpus, mem and disk; ports are not limited");
      }
      return Resources.newBuilder().setCpus(set.cpus()).setMem(set.memMb()).setDisk(set.diskMb()).build();
    } catch (IllegalArgumentException e) {
      // The flag's parser is the agent's --resources; here the option is named in front.
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage().replace("--resources ", ""));
    }
  }
}
