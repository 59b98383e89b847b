package dev.kos.frameworks.jobs.edge;

import dev.kos.frameworks.jobs.core.AgentLoad;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobDecision;
import dev.kos.frameworks.jobs.core.JobDefinition;
import dev.kos.frameworks.jobs.core.JobEvent;
import dev.kos.frameworks.jobs.core.RoleLimit;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.frameworks.jobs.core.Submitted;
import dev.kos.model.CommandSpec;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.schema.AgentReport;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.JobRun;
import dev.kos.schema.JobSpec;
import dev.kos.schema.JobState;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.RunJob;
import dev.kos.schema.StatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The one place the jobs framework's bus records become core records and back (STYLE.md, example 9). */
public final class JobsAvro {

  private JobsAvro() {
  }

  /** The job of a run-job command, or empty when the command is for someone else. */
  public static Optional<JobDefinition> command(Command command) {
    return command.getPayload() instanceof RunJob run ? Optional.of(definition(run.getJob())) : Optional.empty();
  }

  /** A spec as a definition; check it with {@code JobValidator}. */
  public static JobDefinition definition(JobSpec spec) {
    return new JobDefinition(spec.getId(), Optional.ofNullable(spec.getCmd()), spec.getArgv(), spec.getCpus(),
        spec.getMem(), spec.getDisk(), spec.getEnv(), Optional.ofNullable(spec.getSchedule()), spec.getRetries(),
        Optional.ofNullable(spec.getDeadlineSeconds()).map(Duration::ofSeconds), spec.getRole());
  }

  public static JobSpec spec(JobDefinition job) {
    return JobSpec.newBuilder().setId(job.id()).setCmd(job.cmd().orElse(null)).setArgv(job.argv())
        .setCpus(job.cpus()).setMem(job.mem()).setDisk(job.disk()).setEnv(job.env())
        .setSchedule(job.schedule().orElse(null)).setRetries(job.retries())
        .setDeadlineSeconds(job.deadline().map(Duration::toSeconds).orElse(null)).setRole(job.role()).build();
  }

  public static AgentLoad agent(AgentReport report) {
    return new AgentLoad(report.getAgentId(), resources(report.getTotal()), resources(report.getUsed()),
        report.getHeartbeatTime());
  }

  public static RoleLimit role(RoleInfo info) {
    return new RoleLimit(info.getRole(), info.getPriority(), info.getMaxClusterUtilization() == null
        ? OptionalDouble.empty() : OptionalDouble.of(info.getMaxClusterUtilization()));
  }

  /** The task of a launch: the job's command and resources, labelled with the job id. */
  public static TaskSpec task(JobDecision.Launch launch, String frameworkId) {
    JobDefinition job = launch.job();
    return new TaskSpec(launch.taskId(), job.id(), frameworkId, Optional.empty(),
        new CommandSpec(job.cmd(), job.argv(), job.env()), Resources.of(job.cpus(), job.mem(), job.disk()),
        List.of(), List.of(), List.of(), Optional.empty(), Map.of("job", job.id()));
  }

  /** An accepted command's answer carries the acceptance in words ("runs once, now"), a rejected one the reason. */
  public static CommandResult result(String commandId, Submitted outcome, String handledBy, Instant at) {
    CommandResult.Builder result = CommandResult.newBuilder().setCommandId(commandId).setHandledBy(handledBy)
        .setTimestamp(at);
    if (outcome instanceof Submitted.Accepted accepted) {
      return result.setStatus(CommandStatus.ACCEPTED)
          .setReason(accepted.step().events().stream().findFirst().map(JobEvent::message).orElse(null)).build();
    }
    return result.setStatus(CommandStatus.REJECTED).setReason(((Submitted.Rejected) outcome).reason()).build();
  }

  /** A job event for the status topic; the run id goes in {@code instanceId}, a run being a job's instance. */
  public static StatusEvent event(JobEvent event, String framework, Instant at) {
    return StatusEvent.newBuilder().setTarget(event.jobId()).setFramework(framework).setKind(event.kind().name())
        .setInstanceId(event.run().map(Run::runId).orElse(null))
        .setTaskId(event.run().flatMap(Run::taskId).orElse(null))
        .setAgentId(event.run().flatMap(Run::agentId).orElse(null))
        .setCounts(event.counts()).setMessage(event.message()).setTimestamp(at).build();
  }

  public static JobState state(Job job, Instant at) {
    return JobState.newBuilder().setJobId(job.id()).setSpec(spec(job.definition())).setRunCount(job.runCount())
        .setNextRunAt(job.nextRunAt().orElse(null)).setWaiting(job.waiting().orElse(null))
        .setRuns(job.runs().stream().map(JobsAvro::run).toList()).setUpdatedAt(at).build();
  }

  public static Job job(JobState state) {
    return new Job(definition(state.getSpec()), state.getRuns().stream().map(JobsAvro::run).toList(),
        state.getRunCount(), Optional.ofNullable(state.getNextRunAt()), Optional.ofNullable(state.getWaiting()));
  }

  private static JobRun run(Run run) {
    return JobRun.newBuilder().setRunId(run.runId()).setNumber(run.number()).setAttempt(run.attempt())
        .setFailures(run.failures()).setState(run.state().name()).setTaskId(run.taskId().orElse(null))
        .setAgentId(run.agentId().orElse(null)).setStartedAt(run.startedAt().orElse(null))
        .setEndedAt(run.endedAt().orElse(null)).setRetryAt(run.retryAt().orElse(null))
        .setMessage(run.message()).build();
  }

  private static Run run(JobRun run) {
    return new Run(run.getRunId(), run.getNumber(), run.getAttempt(), run.getFailures(),
        RunState.valueOf(run.getState()), Optional.ofNullable(run.getTaskId()), Optional.ofNullable(run.getAgentId()),
        Optional.ofNullable(run.getStartedAt()), Optional.ofNullable(run.getEndedAt()),
        Optional.ofNullable(run.getRetryAt()), run.getMessage());
  }

  private static Resources resources(dev.kos.schema.Resources resources) {
    return Resources.of(resources.getCpus(), resources.getMem(), resources.getDisk());
  }
}
