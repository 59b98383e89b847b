package dev.kos.cli;

import dev.kos.schema.AgentReport;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.InstanceSnapshot;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Bus records as the apps framework, the agents and the allocator write them, for the commands to read. */
public final class Fixtures {

  public static final Instant NOW = Instant.parse("2026-11-25T05:00:00Z");

  private Fixtures() {
  }

  public static AppSpec spec(String id, int instances) {
    return AppSpec.newBuilder().setId(id).setCmd("sleep 3600").setInstances(instances).setCpus(0.5).setMem(64).build();
  }

  public static AppSpec healthChecked(AppSpec spec) {
    HealthCheck check = HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.COMMAND).setCommand("true").build();
    return AppSpec.newBuilder(spec).setHealthChecks(List.of(check)).build();
  }

  public static InstanceSnapshot instance(String instanceId, String agentId, String state, Boolean healthy) {
    return InstanceSnapshot.newBuilder().setInstanceId(instanceId).setVersion("v1").setAgentId(agentId)
        .setHostname(agentId).setAttempt(0).setState(state).setHealthChecked(healthy != null)
        .setHealthy(healthy != null && healthy).setLaunchedAt(NOW.minusSeconds(60)).build();
  }

  public static AppState app(AppSpec spec, String deploymentId, String unplaced, InstanceSnapshot... instances) {
    return AppState.newBuilder().setAppId(spec.getId()).setSpec(spec).setVersion("v1").setDeploymentId(deploymentId)
        .setUnplaced(unplaced).setInstances(List.of(instances)).setUpdatedAt(NOW).build();
  }

  public static TaskStatus task(String taskId, String appId, String agentId, TaskState state, String message,
      Instant at) {
    return TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId("apps").setAgentId(agentId).setAppId(appId)
        .setState(state).setMessage(message).setTimestamp(at).build();
  }

  public static AgentReport agent(String agentId, boolean draining, Instant heartbeat) {
    return AgentReport.newBuilder().setAgentId(agentId).setHostname("host-" + agentId)
        .setTotal(resources(4, 8192, 20000)).setUsed(resources(1.5, 512, 0)).setAttributes(Map.of("rack", "r1"))
        .setHeartbeatTime(heartbeat).setStartedAt(heartbeat.minusSeconds(3600)).setDraining(draining).build();
  }

  public static FrameworkInfo framework(String frameworkId, String role, boolean suppressed) {
    return FrameworkInfo.newBuilder().setFrameworkId(frameworkId).setName(frameworkId).setRole(role).setWeight(2)
        .setSuppressed(suppressed).setFailoverTimeoutMs(7 * 24 * 3600 * 1000L).setRegisteredAt(NOW.minusSeconds(300))
        .build();
  }

  public static CommandResult result(String commandId, CommandStatus status, String reason, String deploymentId) {
    return CommandResult.newBuilder().setCommandId(commandId).setStatus(status).setReason(reason)
        .setDeploymentId(deploymentId).setHandledBy("apps").setTimestamp(NOW).build();
  }

  public static LogLine log(String taskId, long seq, LogStream stream, String line) {
    return LogLine.newBuilder().setTaskId(taskId).setFrameworkId("apps").setAgentId("a1").setStream(stream)
        .setTimestamp(NOW).setSeq(seq).setLine(line).build();
  }

  private static Resources resources(double cpus, double mem, double disk) {
    return Resources.newBuilder().setCpus(cpus).setMem(mem).setDisk(disk).build();
  }
}
