package dev.kos.cli;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.agent.config.AttributeFlag;
import dev.kos.agent.config.ByteSizeFlag;
import dev.kos.agent.config.DurationFlag;
import dev.kos.agent.config.HostResources;
import dev.kos.agent.config.ReservationFlag;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.fetch.FetchSettings;
import dev.kos.cli.cluster.AgentDrainCommand;
import dev.kos.cli.cluster.AgentListCommand;
import dev.kos.cli.cluster.AgentUndrainCommand;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UntilStopped;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UsageProblem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kos agent}: one agent on this machine, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {
        "Run a kos agent on this machine: it registers on kos.agents, heartbeats,",
        "runs the tasks placed on it as OS processes in sandboxes under --work-dir,",
        "and ships their statuses, logs and usage. Runs in the foreground; Ctrl-C",
        "or SIGTERM stops the agent but leaves its tasks running: an agent started",
        "again with the same --id and --work-dir within --task-lease recovers them;",
        "after that they have killed themselves (see --task-lease).",
        "`kos agent list`, `kos agent drain ID` and `kos agent undrain ID` look at",
        "and steer the agents."},
    subcommands = {AgentListCommand.class, AgentDrainCommand.class, AgentUndrainCommand.class})
public final class AgentCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  // --id and --work-dir are checked in call(), not by picocli, which would ask for them before `kos agent list` too.
  @Option(names = "--id", paramLabel = "ID", description = "The agent's id, unique in the cluster (required)")
  String id;

  @Option(names = "--resources", paramLabel = "RESOURCES",
      description = "What the agent offers, e.g. 'cpus:4;mem:8192;disk:20000;ports:[31000-32000]' (mem and disk "
          + "in MiB); what it leaves out comes from the host (default: all of the host's, less 1 GiB of memory)")
  String resources;

  @Option(names = "--attributes", paramLabel = "ATTRIBUTES", defaultValue = "",
      description = "Attributes for placement constraints, e.g. 'rack:r1,zone:a'")
  String attributes;

  @Option(names = "--reserve", paramLabel = "ROLE=RESOURCES",
      description = "Resources set aside for one role, e.g. 'spark=cpus:2;mem:4096'; repeat for several roles")
  List<String> reservations = new ArrayList<>();

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Sandboxes, persistent volumes and checkpoints; keep it across restarts so tasks are recovered "
          + "(required)")
  Path workDir;

  @Option(names = "--hostname", paramLabel = "NAME", description = "The host name to report (default: this host's)")
  String hostname;

  @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "5s",
      description = "How often the agent reports while nothing changes (default: ${DEFAULT-VALUE})")
  String heartbeat;

  @Option(names = "--metrics-interval", paramLabel = "DURATION", defaultValue = "10s",
      description = "How often task usage goes to kos.metrics (default: ${DEFAULT-VALUE})")
  String metricsInterval;

  @Option(names = "--log-buffer", paramLabel = "LINES", defaultValue = "10000",
      description = "Task log lines kept while the broker is unreachable; beyond that the oldest are dropped "
          + "and counted (default: ${DEFAULT-VALUE})")
  int logBuffer;

  @Option(names = "--task-lease", paramLabel = "DURATION", defaultValue = "15s",
      description = {"How long the agent's tasks outlive it once it stops (killed, frozen, crashed): the agent "
          + "renews a lease file in --work-dir every second, and each task kills itself, all its processes, when "
          + "the lease has not been renewed for this long, so that no task runs twice once a framework has "
          + "replaced it. Keep it below the allocator's --agent-timeout (default 20s), so the tasks are gone "
          + "before the allocator declares the agent lost, and above the time the agent takes to restart, so a "
          + "restarted agent recovers its tasks. Whole seconds, at least 2s; 0 turns it off. A bus outage does not "
          + "stop the renewal. Each task keeps the lease it was started with (tasks started by an agent without a "
          + "lease keep running without one) (default: ${DEFAULT-VALUE})"})
  String taskLease;

  @Option(names = "--artifact-cache", paramLabel = "SIZE", defaultValue = "${env:KOS_AGENT_ARTIFACT_CACHE:-2g}",
      description = "The most the agent keeps of fetched artifacts (in WORK-DIR/artifacts, least recently used "
          + "evicted first), and so the biggest artifact it takes, e.g. 512m or 2g; env KOS_AGENT_ARTIFACT_CACHE "
          + "(default: ${DEFAULT-VALUE})")
  String artifactCache;

  @Option(names = "--artifact-unpack-limit", paramLabel = "SIZE",
      defaultValue = "${env:KOS_AGENT_ARTIFACT_UNPACK_LIMIT:-4g}",
      description = "The most one archive artifact may unpack to (an archive of zeros weighs little); env "
          + "KOS_AGENT_ARTIFACT_UNPACK_LIMIT (default: ${DEFAULT-VALUE})")
  String artifactUnpackLimit;

  @Option(names = "--fetch-stall-timeout", paramLabel = "DURATION",
      defaultValue = "${env:KOS_AGENT_FETCH_STALL_TIMEOUT:-30s}",
      description = "How long a download may go without a byte once the server answered, before it is dropped "
          + "and tried again; env KOS_AGENT_FETCH_STALL_TIMEOUT (default: ${DEFAULT-VALUE})")
  String fetchStallTimeout;

  @Option(names = "--fetch-attempts", paramLabel = "N", defaultValue = "${env:KOS_AGENT_FETCH_ATTEMPTS:-4}",
      description = "Attempts at a download that fails for a reason that may pass (HTTP 5xx, 408, 429; a "
          + "connection refused, reset or stalled), with backoff doubling from 1s to 8s and no attempt starting "
          + "more than 2 minutes after the first; 1 never retries. A 404 or a wrong sha256 fails at once; env "
          + "KOS_AGENT_FETCH_ATTEMPTS (default: ${DEFAULT-VALUE})")
  int fetchAttempts;

  @Mixin
  MetricsOptions metrics;

  @Option(names = "--task-user", paramLabel = "USER",
      defaultValue = "${env:KOS_AGENT_TASK_USER:-" + TaskUsers.DEFAULT_SETTING + "}",
      description = {"The host user a task runs as when it names none (a task's own `user` wins): a user name, "
          + "e.g. nobody; auto: nobody when the agent runs as root, else the agent's own user; agent: the agent's "
          + "own user. A task run as another user than the agent's cannot read the agent's checkpoints, its "
          + "artifact cache, other users' sandboxes, nor the --client-config file (keep it mode 0600: the agent "
          + "warns otherwise). Such a task finds this kos's classpath, readable to it, in $KOS_CLASSPATH. Only an "
          + "agent running as root can switch users; a user this host does not know, or a --work-dir that user "
          + "cannot reach (under /root), stops the agent. The agent advertises the user as the attribute "
          + "kos.task-user; env "
          + "KOS_AGENT_TASK_USER (default: ${DEFAULT-VALUE})"})
  String taskUser;

  @Override
  public Integer call() throws Exception {
    if (id == null || workDir == null) {
      throw new UsageProblem("running an agent needs --id ID and --work-dir DIR (kos agent --help); "
          + "`kos agent list` lists the agents");
    }
    var out = spec.commandLine().getOut();
    AgentSettings settings = settings();
    Optional<MetricsServer> served = metrics.serve(out);
    BusAgent agent;
    try {
      agent = startOnBus(() -> BusAgent.start(settings, Clock.systemUTC()));
    } catch (RuntimeException e) {
      MetricsOptions.close(served);
      throw e;
    }
    if (agent.executor().taskUsers().switches()) {
      bus.clientConfigFile().flatMap(AgentCommand::readableByOthers).ifPresent(mode -> spec.commandLine().getErr()
          .println("warning: the client config " + bus.clientConfigFile().get() + " (mode " + mode + ") may be read "
              + "by other users, the agent's tasks among them; chmod 600 it"));
    }
    UntilStopped life = UntilStopped.onStop("agent", () -> {
      agent.close();
      MetricsOptions.close(served);
      out.println("agent " + settings.agentId() + " stopped; its tasks keep running");
    });
    out.printf("agent %s is up on %s: %s, limits enforced by %s, task lease %s, tasks run as %s%n",
        settings.agentId(), settings.hostname(), settings.resources(), agent.executor().limitEnforcement().label(),
        settings.taskLease().isZero() ? "off" : settings.taskLease().toSeconds() + "s",
        agent.executor().taskUsers().defaultUserName() + (agent.executor().taskUsers().switches() ? ""
            : " (the agent's own user)"));
    out.println(settings.taskLease().isZero()
        ? "Ctrl-C stops the agent; its tasks keep running and a restart with the same --work-dir recovers them."
        : "Ctrl-C stops the agent; its tasks keep running for the task lease, and a restart with the same "
            + "--work-dir within it recovers them.");
    life.await();
    return 0;
  }

  AgentSettings settings() throws UnknownHostException {
    return new AgentSettings(id,
        hostname != null ? hostname : InetAddress.getLocalHost().getHostName(),
        ResourceFlag.parse(resources, HostResources.detect(workDir)),
        AttributeFlag.parse(attributes),
        ReservationFlag.parse(reservations),
        workDir,
        bus.settings(),
        DurationFlag.parse(heartbeat),
        DurationFlag.parse(metricsInterval),
        logBuffer,
        "0".equals(taskLease.trim()) ? Duration.ZERO : DurationFlag.parse(taskLease))
        .withFetch(new FetchSettings(ByteSizeFlag.parse(artifactCache), ByteSizeFlag.parse(artifactUnpackLimit),
            DurationFlag.parse(fetchStallTimeout), FetchSettings.DEFAULTS.retry()).withAttempts(fetchAttempts))
        .withTaskUser(taskUser);
  }

  /** The file's mode when its group or others may read it. */
  private static Optional<String> readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      boolean others = permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ);
      return others ? Optional.of(PosixFilePermissions.toString(permissions)) : Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts an agent or a fleet. The bus being unreachable or without kos topics is for the user to
   * fix: one line, no stack trace.
   */
  static <T> T startOnBus(Supplier<T> starter) {
    try {
      return starter.get();
    } catch (IllegalStateException e) {
      throw new UsageProblem(e.getMessage());
    }
  }
}
