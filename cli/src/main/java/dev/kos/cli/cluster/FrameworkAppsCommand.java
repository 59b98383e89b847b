package dev.kos.cli.cluster;

import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.AccessPolicyOption;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UntilStopped;
import dev.kos.frameworks.apps.AppsFramework;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kos framework apps}: the apps framework as a process of its own, as {@code kos up} runs it
 * in-process; so it can be run, restarted and killed apart from the allocator and the agents.
 */
@Command(name = "apps", mixinStandardHelpOptions = true,
    description = {
        "Run the apps framework: it registers as framework 'apps' on kos.frameworks,",
        "takes app commands (kos app deploy/scale/...) from kos.commands, answers",
        "them on kos.command-results, and keeps each app's instances running on the",
        "offers it gets. Its state is kos.apps: a restarted framework reads it back",
        "and reconciles its tasks with kos.tasks. Runs in the foreground until",
        "Ctrl-C or SIGTERM; its tasks keep running while it is away. A second",
        "instance takes over from the first, which stops acting and exits with",
        "status 75."})
public final class FrameworkAppsCommand implements Callable<Integer> {

  /** The exit status of an instance another instance replaced (sysexits' EX_TEMPFAIL: start it again to take over). */
  static final int EXIT_REPLACED = UntilStopped.EXIT_REPLACED;

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "*",
      description = "The role every app runs in; commands for apps of another role are rejected "
          + "(default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--tenant-policy", paramLabel = "FILE",
      description = "Who may act on which apps, in which roles: a properties file of lines like "
          + "principal.alice.roles=web and principal.alice.prefixes=/team-a/; without one, everyone may do everything")
  Path tenantPolicy;

  @Mixin
  AccessPolicyOption access;

  @Option(names = "--kill-grace", paramLabel = "SECONDS", defaultValue = "2",
      description = "How long an instance that served is out of kos.endpoints before it is killed, so load "
          + "balancers stop sending it requests first (default: ${DEFAULT-VALUE})")
  double killGraceSeconds;

  @Mixin
  MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    Optional<MetricsServer> served = metrics.serve(out);
    AppsFramework apps;
    try {
      apps = new AppsFramework(bus.connect(), role, AppsFramework.policy(Optional.ofNullable(tenantPolicy)),
          Clock.systemUTC(), Duration.ofMillis(Math.round(killGraceSeconds * 1000))).authorizing(access.policy())
          .start();
    } catch (RuntimeException e) {
      MetricsOptions.close(served);
      throw e;
    }
    UntilStopped life = UntilStopped.onStop("framework-apps", () -> {
      try {
        apps.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      MetricsOptions.close(served);
      out.println("framework apps stopped; its tasks keep running");
      out.flush();
    });
    UntilStopped.exitWhenReplaced(AppsFramework.FRAMEWORK_ID, apps.replaced(), spec.commandLine().getErr());
    out.printf("framework %s running (role %s) against %s; Ctrl-C stops it%n", AppsFramework.FRAMEWORK_ID, role,
        bus.bootstrapServers());
    out.flush();
    life.await();
    return 0;
  }
}
