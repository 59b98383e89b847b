package dev.kos.cli;

import dev.kos.bus.client.ClientProblem;
import dev.kos.cli.common.KosContext;
import dev.kos.cli.common.KosHome;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kos} command. */
@Command(name = "kos", mixinStandardHelpOptions = true, versionProvider = KosVersion.class,
    description = {
        "kos: a data-center OS whose control plane is Kafka.",
        "",
        "Every option can also come from the environment (--bootstrap-server -> KOS_BOOTSTRAP_SERVER),",
        "from $KOS_HOME/config.properties (key bootstrap-server), or from the cluster file",
        "$KOS_HOME/cluster.properties that `kos up` writes. KOS_HOME defaults to ~/.kos."},
    subcommands = {UpCommand.class, dev.kos.cli.demo.DemoCommand.class, AllocatorCommand.class, AgentCommand.class, AgentSimCommand.class,
        TopicsCommand.class, AclsCommand.class, PublishCommand.class, EventsCommand.class,
        dev.kos.cli.app.AppCommand.class, dev.kos.cli.job.JobCommand.class, dev.kos.cli.task.TaskCommand.class,
        dev.kos.cli.cluster.FrameworkCommand.class, dev.kos.cli.role.RoleCommand.class,
        dev.kos.cli.kafka.KafkaCommand.class,
        dev.kos.cli.analytics.AnalyticsCommand.class, dev.kos.cli.api.ApiCommand.class,
        dev.kos.cli.bench.BenchCommand.class, dev.kos.cli.lb.LbCommand.class,
        CommandLine.HelpCommand.class})
public final class Kos implements KosContext {

  /** The exit code of a command that failed with an unexpected error (sysexits' EX_SOFTWARE). */
  public static final int CRASHED = 70;

  private final KosHome home;

  private Kos(KosHome home) {
    this.home = home;
  }

  @Override
  public KosHome home() {
    return home;
  }

  @Override
  public int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return run(env, out, err, args);
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one kos command line; the seam tests use, with their own environment and streams. */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(env, out, err).execute(args);
  }

  /** The whole command tree, reading defaults from {@code env}, the config file and the cluster file. */
  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    KosHome home = KosHome.from(env);
    CommandLine cli = new CommandLine(new Kos(home))
        .setDefaultValueProvider(new KosDefaults(env, home.configFile(), home.clusterFile()))
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          if (e instanceof ClientProblem || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("kos: " + e.getMessage());
            return 2;
          }
          // Not a rejection (exit 1, the command's own answer) nor a usage error (2): kos could not do what was
          // asked. The trace is for a bug report.
          commandLine.getErr().println("kos: the command failed: " + e);
          e.printStackTrace(commandLine.getErr());
          return CRASHED;
        });
    cli.getCommandSpec().subcommands().values()
        .forEach(sub -> sub.getCommandSpec().commandLine().setDefaultValueProvider(cli.getDefaultValueProvider()));
    return cli;
  }
}
