package dev.kos.cli.cluster;

import dev.kos.cli.results.Formats;
import dev.kos.schema.AgentReport;
import dev.kos.schema.FrameworkInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How `kos agent list` and `kos framework list` write agents and frameworks. Pure. */
final class ClusterView {

  static final String[] AGENT_HEADER = {"AGENT", "HOSTNAME", "STATE", "CPUS", "MEM", "DISK", "HEARTBEAT",
      "LIMITS", "KILL", "ATTRIBUTES"};
  static final String[] FRAMEWORK_HEADER = {"FRAMEWORK", "NAME", "ROLE", "WEIGHT", "OFFERS", "PRINCIPAL",
      "FAILOVER", "REGISTERED", "HEARD"};

  private ClusterView() {
  }

  /**
   * An agent's row: resources as used/total (mem and disk in MiB), the heartbeat as an age, how it enforces task
   * limits and how it kills a task (by cgroup every process goes; by process group one that called setsid survives).
   */
  static String[] agentRow(AgentReport agent, Instant now) {
    return agentRow(agent, Optional.empty(), now);
  }

  /** {@code drain}: the allocator's drain state of the agent ("draining", "drained"), if an operator drained it. */
  static String[] agentRow(AgentReport agent, Optional<String> drain, Instant now) {
    return new String[] {agent.getAgentId(), agent.getHostname(),
        drain.orElse(agent.getDraining() ? "draining" : "active"),
        usedOfTotal(agent.getUsed().getCpus(), agent.getTotal().getCpus()),
        usedOfTotal(agent.getUsed().getMem(), agent.getTotal().getMem()),
        usedOfTotal(agent.getUsed().getDisk(), agent.getTotal().getDisk()),
        Formats.age(agent.getHeartbeatTime(), now) + " ago", agent.getLimitEnforcement(), agent.getKillMethod(),
        attributes(agent.getAttributes())};
  }

  static String[] frameworkRow(FrameworkInfo framework, Instant now) {
    return new String[] {framework.getFrameworkId(), framework.getName(), framework.getRole(),
        Formats.number(framework.getWeight()), framework.getSuppressed() ? "suppressed" : "wanted",
        Formats.orDash(framework.getPrincipal()), Formats.duration(Duration.ofMillis(framework.getFailoverTimeoutMs())),
        Formats.age(framework.getRegisteredAt(), now) + " ago",
        framework.getHeartbeatAt() == null ? "-" : Formats.age(framework.getHeartbeatAt(), now) + " ago"};
  }

  private static String usedOfTotal(double used, double total) {
    return Formats.number(used) + "/" + Formats.number(total);
  }

  private static String attributes(Map<String, String> attributes) {
    return attributes.isEmpty() ? "-" : new TreeMap<>(attributes).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
