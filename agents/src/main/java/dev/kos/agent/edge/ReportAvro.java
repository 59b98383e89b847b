package dev.kos.agent.edge;

import dev.kos.agent.model.CapacityReport;
import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskUsage;
import dev.kos.agent.model.VolumeResult;
import dev.kos.schema.AgentReport;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import dev.kos.schema.PortRange;
import dev.kos.schema.Reservation;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Instant;
import java.util.Map;

/**
 * Maps what the agent reports (task statuses, log lines, metric samples, its capacity and reservations, volume
 * results) to bus records, once, at the edge; stamps them with this agent's id.
 */
public final class ReportAvro {
  private final String agentId;

  public ReportAvro(String agentId) {
    this.agentId = agentId;
  }

  public TaskStatus status(StatusUpdate update) {
    return TaskStatus.newBuilder()
        .setTaskId(update.taskId())
        .setFrameworkId(update.frameworkId())
        .setAgentId(agentId)
        .setAppId(update.appId())
        .setState(TaskState.valueOf(update.state().name()))
        .setMessage(update.message())
        .setExitCode(update.exitCode())
        .setHealthy(update.healthy())
        .setResources(update.resources() == null ? null : resources(update.resources()))
        .setLimitEnforcement(update.limitEnforcement())
        .setTimestamp(update.timestamp())
        .build();
  }

  public LogLine log(LogRecord record) {
    return LogLine.newBuilder()
        .setTaskId(record.task().taskId())
        .setFrameworkId(record.task().frameworkId())
        .setAppId(record.task().appId())
        .setAgentId(agentId)
        .setStream(LogStream.valueOf(record.source().name()))
        .setTimestamp(record.timestamp())
        .setSeq(record.seq())
        .setLine(record.line())
        .build();
  }

  public MetricSample metric(TaskUsage usage) {
    return MetricSample.newBuilder()
        .setSourceId(usage.task().taskId())
        .setKind("task")
        .setAgentId(agentId)
        .setTaskId(usage.task().taskId())
        .setAppId(usage.task().appId())
        .setValues(Map.of(
            "cpu_seconds", usage.cpuTime().toNanos() / 1e9,
            "rss_bytes", (double) usage.rssBytes(),
            "processes", (double) usage.processes()))
        .setTimestamp(usage.sampledAt())
        .build();
  }

  public AgentReport report(CapacityReport report) {
    return AgentReport.newBuilder()
        .setAgentId(agentId)
        .setHostname(report.hostname())
        .setTotal(resources(report.total()))
        .setUsed(resources(report.used()))
        .setReservations(report.reservations().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(entry -> new Reservation(entry.getKey(), resources(entry.getValue())))
            .toList())
        .setAttributes(report.attributes())
        .setHeartbeatTime(report.heartbeatTime())
        .setStartedAt(report.startedAt())
        .setLimitEnforcement(report.limitEnforcement())
        .setKillMethod(report.killMethod())
        .build();
  }

  /** The key of a volume operation's answer on kos.command-results: the operation and its persistence id. */
  public static String volumeResultKey(String operation, String persistenceId) {
    return operation + ":" + persistenceId;
  }

  /**
   * The answer to CREATE_VOLUME / DESTROY_VOLUME ({@code operation} is {@code create-volume} or
   * {@code destroy-volume}): ACCEPTED or REJECTED with the reason, handled by {@code agent:<id>}.
   */
  public CommandResult volumeResult(String operation, VolumeResult result, Instant at) {
    return CommandResult.newBuilder()
        .setCommandId(volumeResultKey(operation, result.persistenceId()))
        .setStatus(result.succeeded() ? CommandStatus.ACCEPTED : CommandStatus.REJECTED)
        .setReason(result.message())
        .setHandledBy("agent:" + agentId)
        .setTimestamp(at)
        .build();
  }

  public static Resources resources(ResourceSet resources) {
    return Resources.newBuilder()
        .setCpus(resources.cpus())
        .setMem(resources.memMb())
        .setDisk(resources.diskMb())
        .setPorts(resources.ports().stream()
            .map(range -> new PortRange(range.begin(), range.end()))
            .toList())
        .build();
  }
}
