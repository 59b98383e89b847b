package dev.kos.bus.catalog;

import static dev.kos.bus.catalog.TopicDef.CleanupPolicy.COMPACT;
import static dev.kos.bus.catalog.TopicDef.CleanupPolicy.DELETE;

import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.CreateVolume;
import dev.kos.schema.Decline;
import dev.kos.schema.DestroyVolume;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.AgentReport;
import dev.kos.schema.AllocatorShard;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.JobState;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.LogLine;
import dev.kos.schema.MetricSample;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskStatus;
import java.time.Duration;
import java.util.List;

/** The topic contract of DESIGN.md, as code: the one place that lists every topic. */
public final class Topics {

  private static final Duration WEEK = Duration.ofDays(7);

  public static final TopicDef<Command> COMMANDS = new TopicDef<>(
      "commands", Command.class, "target id (app, job, framework, role, agent)", CommandTargets::targetOf, DELETE, WEEK, false,
      "users, CLI, autoscaler", "frameworks, admin");
  public static final TopicDef<CommandResult> COMMAND_RESULTS = new TopicDef<>(
      "command-results", CommandResult.class, "command id", r -> r.getCommandId(), DELETE, WEEK, false,
      "whoever handles the command", "CLI");
  public static final TopicDef<AgentReport> AGENTS = new TopicDef<>(
      "agents", AgentReport.class, "agent id", r -> r.getAgentId(), COMPACT, WEEK, true,
      "agents", "allocator");
  public static final TopicDef<FrameworkInfo> FRAMEWORKS = new TopicDef<>(
      "frameworks", FrameworkInfo.class, "framework id", r -> r.getFrameworkId(), COMPACT, WEEK, false,
      "frameworks", "allocator");
  public static final TopicDef<RoleInfo> ROLES = new TopicDef<>(
      "roles", RoleInfo.class, "role", r -> r.getRole(), COMPACT, WEEK, false,
      "admin commands", "allocator");
  public static final TopicDef<AllocatorShard> ALLOCATOR_SHARDS = new TopicDef<>(
      "allocator-shards", AllocatorShard.class, "allocator shard (partition)", r -> r.getShard(), COMPACT, WEEK,
      false, "allocator", "allocator");
  public static final TopicDef<KafkaClusterState> KAFKA_CLUSTERS = new TopicDef<>(
      "kafka-clusters", KafkaClusterState.class, "cluster name", r -> r.getName(), COMPACT, WEEK, false,
      "kafka framework", "kafka framework");
  public static final TopicDef<OfferEvent> OFFERS = new TopicDef<>(
      "offers", OfferEvent.class, "framework id", Topics::frameworkOf, DELETE, WEEK, false,
      "allocator", "frameworks");
  public static final TopicDef<AcceptEvent> ACCEPTS = new TopicDef<>(
      "accepts", AcceptEvent.class, "agent id", Topics::agentOf, DELETE, WEEK, true,
      "frameworks", "allocator");
  public static final TopicDef<PlacementEvent> PLACEMENTS = new TopicDef<>(
      "placements", PlacementEvent.class, "agent id", Topics::agentOf, DELETE, WEEK, true,
      "allocator", "agents");
  public static final TopicDef<TaskStatus> TASK_STATUS = new TopicDef<>(
      "task-status", TaskStatus.class, "agent id", r -> r.getAgentId(), DELETE, WEEK, true,
      "agents", "allocator, frameworks, users");
  public static final TopicDef<TaskStatus> TASKS = new TopicDef<>(
      "tasks", TaskStatus.class, "task id", r -> r.getTaskId(), COMPACT, WEEK, false,
      "allocator (latest status per task)", "users, frameworks");
  public static final TopicDef<ScaleDecision> SCALE_DECISIONS = new TopicDef<>(
      "scale-decisions", ScaleDecision.class, "target id", r -> r.getTarget(), DELETE, WEEK, false,
      "allocator", "apps framework, operators");
  public static final TopicDef<AppState> APPS = new TopicDef<>(
      "apps", AppState.class, "app id", r -> r.getAppId(), COMPACT, WEEK, false,
      "apps framework (its durable state)", "apps framework on restart, kos app list/show, autoscaler");
  public static final TopicDef<AppEndpoints> ENDPOINTS = new TopicDef<>(
      "endpoints", AppEndpoints.class, "app id", r -> r.getAppId(), COMPACT, WEEK, false,
      "apps framework (the instances that serve now)", "load balancers, kos app endpoints, any client");
  public static final TopicDef<JobState> JOBS = new TopicDef<>(
      "jobs", JobState.class, "job id", r -> r.getJobId(), COMPACT, WEEK, false,
      "jobs framework (its durable state)", "jobs framework on restart, kos job list");
  public static final TopicDef<TaskStatus> SPARK_EXECUTORS = new TopicDef<>(
      "spark-executors", TaskStatus.class, "task id", r -> r.getTaskId(), COMPACT, WEEK, false,
      "Spark applications on kos (each executor, written before it is launched)", "operators, kos.spark");
  public static final TopicDef<StatusEvent> STATUS = new TopicDef<>(
      "status", StatusEvent.class, "target id (app, job, agent, cluster)", r -> r.getTarget(), DELETE, WEEK, false,
      "frameworks, allocator", "users (kos events), tests");
  public static final TopicDef<MetricSample> METRICS = new TopicDef<>(
      "metrics", MetricSample.class, "source id", r -> r.getSourceId(), DELETE, WEEK, false,
      "agents, services", "allocator");
  public static final TopicDef<LogLine> LOGS = new TopicDef<>(
      "logs", LogLine.class, "task id", r -> r.getTaskId(), DELETE, Duration.ofDays(1), false,
      "agents", "analytics");
  public static final TopicDef<DeadLetter> DEAD_LETTERS = new TopicDef<>(
      "dead-letters", DeadLetter.class, "original key", r -> r.getTopic(), DELETE, Duration.ofDays(14), false,
      "every consumer", "operators");

  public static final List<TopicDef<?>> ALL = List.of(
      COMMANDS, COMMAND_RESULTS, AGENTS, FRAMEWORKS, ROLES, ALLOCATOR_SHARDS, OFFERS, ACCEPTS, PLACEMENTS,
      TASK_STATUS, TASKS, APPS, ENDPOINTS, JOBS, SPARK_EXECUTORS, KAFKA_CLUSTERS, SCALE_DECISIONS, STATUS, METRICS, LOGS, DEAD_LETTERS);

  private Topics() {
  }

  private static String frameworkOf(OfferEvent event) {
    return event.getPayload() instanceof Offer offer
        ? offer.getFrameworkId()
        : ((OfferRescinded) event.getPayload()).getFrameworkId();
  }

  private static String agentOf(AcceptEvent event) {
    return event.getPayload() instanceof Accept accept
        ? accept.getAgentId()
        : ((Decline) event.getPayload()).getAgentId();
  }

  private static String agentOf(PlacementEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof LaunchTask launch) {
      return launch.getAgentId();
    }
    if (payload instanceof KillTask kill) {
      return kill.getAgentId();
    }
    if (payload instanceof CreateVolume create) {
      return create.getAgentId();
    }
    return ((DestroyVolume) payload).getAgentId();
  }
}
