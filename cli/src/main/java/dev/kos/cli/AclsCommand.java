package dev.kos.cli;

import dev.kos.bus.catalog.ServiceAcls;
import dev.kos.bus.registry.KafkaSchemaLog;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos acls}: the Kafka ACLs kos's services need on a bus with an authorizer. */
@Command(name = "acls", mixinStandardHelpOptions = true,
    description = {"Print the Kafka ACLs a principal needs to run kos's services (allocator, agents, frameworks,",
        "schema registry) as kafka-acls.sh commands, or with --apply create them, as the admin principal of",
        "--client-config. Topics are the operator's: create them once with `kos topics --create`. See",
        "docs/security.md."})
public final class AclsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--principal", paramLabel = "TYPE:NAME", required = true,
      description = "The principal kos's services authenticate as, e.g. User:kos")
  String principal;

  @Option(names = "--allocator-application-id", paramLabel = "ID", defaultValue = "kos-allocator",
      description = "The allocator's --application-id (default: ${DEFAULT-VALUE})")
  String allocatorApplicationId;

  @Option(names = "--registry-topic", paramLabel = "TOPIC", defaultValue = KafkaSchemaLog.DEFAULT_TOPIC,
      description = "The log of kos's own schema registry (default: ${DEFAULT-VALUE})")
  String registryTopic;

  @Option(names = "--apply", description = "Create the ACLs on the bus instead of printing the commands")
  boolean apply;

  @Override
  public Integer call() throws InterruptedException {
    ServiceAcls acls;
    try {
      acls = new ServiceAcls(principal, bus.catalog().prefix(), allocatorApplicationId, registryTopic);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!apply) {
      String adminConfig = bus.clientConfigFile().map(Path::toString).orElse("ADMIN.properties");
      acls.kafkaAclsCommands(bus.bootstrapServers(), adminConfig).forEach(out::println);
      return 0;
    }
    try (Admin admin = Admin.create(bus.adminConfig())) {
      admin.createAcls(acls.bindings()).all().get();
    } catch (ExecutionException e) {
      spec.commandLine().getErr().println("kos: could not create the ACLs: " + e.getCause().getMessage()
          + " (run as a principal allowed to alter ACLs: --client-config ADMIN.properties)");
      return 1;
    }
    out.printf("created %d ACLs for %s%n", acls.bindings().size(), principal);
    return 0;
  }
}
