package dev.kos.agent.bus;

import dev.kos.agent.AgentConfig;
import dev.kos.agent.exec.TaskLease;
import dev.kos.agent.exec.TaskUsers;
import dev.kos.agent.fetch.FetchSettings;
import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bus.BusSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything one agent process is configured with, checked once at start-up: who it is, what it
 * offers, where it keeps its tasks, where the bus is, and how often it reports.
 *
 * @param agentId the key of its records on kos.agents, kos.placements and kos.task-status
 * @param hostname what the allocator and people see as the agent's host
 * @param resources what the agent offers (the --resources flag, the host's where it is silent)
 * @param reservations resources set aside per role; together they must fit in {@code resources}
 * @param workDir sandboxes, volumes and checkpoints; must survive restarts for recovery to work
 * @param heartbeatInterval how often the agent reports while nothing changes
 * @param metricsInterval how often task usage goes to kos.metrics
 * @param logBufferCapacity how many task log lines wait for the broker before the oldest are dropped
 * @param taskLease how long the agent's tasks outlive it once it stops renewing its lease (zero: off);
 *     below the allocator's --agent-timeout, above the time the agent takes to restart
 * @param fetch how the agent fetches artifacts: cache and unpack limits, stall timeout, retries
 * @param taskUser the user tasks that name none run as: {@code agent} (the agent's own), {@code auto}
 *     ({@code nobody} when the agent runs as root) or a user name ({@link TaskUsers})
 */
public record AgentSettings(
    String agentId,
    String hostname,
    ResourceSet resources,
    Map<String, String> attributes,
    Map<String, ResourceSet> reservations,
    Path workDir,
    BusSettings bus,
    Duration heartbeatInterval,
    Duration metricsInterval,
    int logBufferCapacity,
    Duration taskLease,
    FetchSettings fetch,
    String taskUser) {

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_LOG_BUFFER_CAPACITY = 10_000;
  public static final Duration DEFAULT_TASK_LEASE = TaskLease.DEFAULT;
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  // Agent ids name a consumer group and appear in file names and record keys: keep them plain.
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public AgentSettings {
    if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
      throw new IllegalArgumentException("invalid agent id '" + agentId + "': use up to 128 letters, digits, "
          + "'.', '_' and '-', starting with a letter or digit");
    }
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException("agent " + agentId + " needs a hostname");
    }
    require(resources, "resources");
    require(workDir, "work dir");
    require(bus, "bus settings");
    attributes = Map.copyOf(require(attributes, "attributes"));
    reservations = Map.copyOf(require(reservations, "reservations"));
    requireInterval("heartbeat interval", heartbeatInterval);
    requireInterval("metrics interval", metricsInterval);
    if (logBufferCapacity < 1) {
      throw new IllegalArgumentException("log buffer capacity must be at least 1 line, got " + logBufferCapacity);
    }
    new TaskLease(require(taskLease, "task lease"));
    require(fetch, "fetch settings");
    if (taskUser == null || taskUser.isBlank()) {
      taskUser = TaskUsers.DEFAULT_SETTING;
    }
    List<String> overReserved = overReserved(resources, reservations);
    if (!overReserved.isEmpty()) {
      throw new IllegalArgumentException("reservations do not fit in the agent's resources: "
          + String.join("; ", overReserved));
    }
  }

  /**
   * Without a task lease: for an agent that runs inside another kos process (the local agents of {@code kos up},
   * tests), which cannot freeze or be cut off apart from the allocator it runs with. {@code kos agent}, an agent
   * of its own, takes {@link TaskLease#DEFAULT} unless told otherwise.
   */
  public AgentSettings(String agentId, String hostname, ResourceSet resources, Map<String, String> attributes,
      Map<String, ResourceSet> reservations, Path workDir, BusSettings bus, Duration heartbeatInterval,
      Duration metricsInterval, int logBufferCapacity) {
    this(agentId, hostname, resources, attributes, reservations, workDir, bus, heartbeatInterval, metricsInterval,
        logBufferCapacity, Duration.ZERO);
  }

  /** With a task lease, and the fetcher's defaults. */
  public AgentSettings(String agentId, String hostname, ResourceSet resources, Map<String, String> attributes,
      Map<String, ResourceSet> reservations, Path workDir, BusSettings bus, Duration heartbeatInterval,
      Duration metricsInterval, int logBufferCapacity, Duration taskLease) {
    this(agentId, hostname, resources, attributes, reservations, workDir, bus, heartbeatInterval, metricsInterval,
        logBufferCapacity, taskLease, FetchSettings.DEFAULTS, TaskUsers.DEFAULT_SETTING);
  }

  public AgentSettings withTaskLease(Duration lease) {
    return new AgentSettings(agentId, hostname, resources, attributes, reservations, workDir, bus, heartbeatInterval,
        metricsInterval, logBufferCapacity, lease, fetch, taskUser);
  }

  public AgentSettings withFetch(FetchSettings settings) {
    return new AgentSettings(agentId, hostname, resources, attributes, reservations, workDir, bus, heartbeatInterval,
        metricsInterval, logBufferCapacity, taskLease, settings, taskUser);
  }

  /** Tasks that name no user run as {@code user}: {@code agent}, {@code auto} or a user name. */
  public AgentSettings withTaskUser(String user) {
    return new AgentSettings(agentId, hostname, resources, attributes, reservations, workDir, bus, heartbeatInterval,
        metricsInterval, logBufferCapacity, taskLease, fetch, user);
  }

  /** The executor's settings: the local machinery's defaults for log polling, watchdog and cgroups, and the lease. */
  public AgentConfig executorConfig() {
    return AgentConfig.of(agentId, workDir, resources).withTaskLease(new TaskLease(taskLease)).withFetch(fetch)
        .withTaskUser(taskUser);
  }

  private static List<String> overReserved(ResourceSet total, Map<String, ResourceSet> reservations) {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ResourceSet> reservation : reservations.entrySet()) {
      ResourceSet reserved = reservation.getValue();
      cpus += reserved.cpus();
      mem += reserved.memMb();
      disk += reserved.diskMb();
      for (PortRange range : reserved.ports()) {
        if (total.ports().stream().noneMatch(own -> own.contains(range.begin()) && own.contains(range.end()))) {
          problems.add("role " + reservation.getKey() + " reserves ports [" + range.begin() + "-" + range.end()
              + "] the agent does not have");
        }
      }
    }
    exceeds(problems, "cpus", cpus, total.cpus());
    exceeds(problems, "mem", mem, total.memMb());
    exceeds(problems, "disk", disk, total.diskMb());
    return problems;
  }

  private static void exceeds(List<String> problems, String name, double reserved, double total) {
    if (reserved > total) {
      problems.add(name + " reserved " + reserved + " of " + total);
    }
  }

  private static void requireInterval(String name, Duration interval) {
    require(interval, name);
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException(name + " must be at least " + MIN_INTERVAL.toMillis() + " ms, got "
          + interval.toMillis() + " ms");
    }
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("agent settings need " + name);
    }
    return value;
  }
}
