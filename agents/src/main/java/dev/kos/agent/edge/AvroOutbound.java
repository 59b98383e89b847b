package dev.kos.agent.edge;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.ResourceSet;
import dev.kos.agent.model.StatusUpdate;
import dev.kos.agent.model.TaskUsage;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import dev.kos.schema.PortRange;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.util.Map;

/** Maps the agent's values to bus records, once, at the edge; stamps them with this agent's id. */
public final class AvroOutbound {
  private final String agentId;

  public AvroOutbound(String agentId) {
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
