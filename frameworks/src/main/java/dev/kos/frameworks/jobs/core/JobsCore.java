package dev.kos.frameworks.jobs.core;

import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The jobs framework's decisions as pure functions: the jobs, the offers, the cluster as the framework
 * sees it and the time go in; the new jobs, decisions for the shell and events for users come out.
 * A job has at most one run at a time: a scheduled run that comes due while the last one is still going
 * is skipped (and says so).
 */
public final class JobsCore {

  private static final String NO_FIT = "waiting: no offer fits ";

  private final JobsConfig config;
  private final String role;
  private final JobValidator validator;

  public JobsCore(JobsConfig config, String role) {
    this.config = config;
    this.role = role;
    this.validator = new JobValidator(role);
  }

  /** Accepts a job (new, or a new spec for a job without a run in progress), or says why not. */
  public Submitted submit(Map<String, Job> jobs, JobDefinition definition, Instant now) {
    List<String> problems = validator.problems(definition, now);
    if (!problems.isEmpty()) {
      return new Submitted.Rejected("job " + definition.id() + ": " + String.join("; ", problems));
    }
    Job existing = jobs.get(definition.id());
    Optional<Run> running = existing == null ? Optional.empty() : existing.current();
    if (running.isPresent()) {
      return new Submitted.Rejected("job " + definition.id() + " has run " + running.get().runId() + " in progress ("
          + running.get().state() + "); run it again once that run ended");
    }
    Optional<Instant> next = definition.parsedSchedule().flatMap(schedule -> schedule.nextAfter(now));
    Job job = existing == null ? new Job(definition, List.of(), 0, next, Optional.empty())
        : existing.withDefinition(definition, next);
    String when;
    if (next.isEmpty()) {
      job = job.withNewRun(config.history());
      when = "runs once, now";
    } else {
      when = "runs on schedule '" + definition.schedule().orElseThrow() + "', next at " + next.get();
    }
    JobEvent accepted = new JobEvent(job.id(), JobEvent.Kind.JOB_ACCEPTED, "job " + job.id() + " accepted: " + when,
        job.current());
    return new Submitted.Accepted(new Step(with(jobs, job), List.of(), List.of(accepted)));
  }

  /** Follows a task's report to its run: started, finished, retried after backoff, or failed for good. */
  public Step afterStatus(Map<String, Job> jobs, TaskUpdate update, Instant now) {
    // Only the attempt on an agent listens: a report re-delivered after its attempt ended must not count twice.
    Optional<Job> owner = jobs.values().stream().filter(job -> job.current().filter(run -> run.state().onAgent())
        .flatMap(Run::taskId).filter(update.taskId()::equals).isPresent()).findFirst();
    if (owner.isEmpty()) {
      return new Step(jobs, List.of(), List.of());
    }
    Job job = owner.get();
    Run run = job.current().orElseThrow();
    String said = update.message().isBlank() ? "" : ": " + update.message();
    Run after;
    JobEvent.Kind kind;
    String message;
    switch (update.phase()) {
      case STAGING, STARTING -> {
        return new Step(jobs, List.of(), List.of());
      }
      case RUNNING -> {
        if (run.state() != RunState.LAUNCHED) {
          return new Step(jobs, List.of(), List.of());
        }
        after = run.inState(RunState.RUNNING, "attempt " + run.attempt() + " running on " + update.agentId());
        kind = JobEvent.Kind.JOB_STARTED;
        message = "run " + run.runId() + " started: " + after.message();
      }
      case FINISHED -> {
        after = run.ended(RunState.FINISHED, now, "attempt " + run.attempt() + " finished");
        kind = JobEvent.Kind.JOB_FINISHED;
        message = "run " + run.runId() + " finished (attempt " + run.attempt() + ")";
      }
      case DROPPED -> {
        if (run.state() == RunState.KILLING) {
          return failedAtDeadline(jobs, job, run, now);
        }
        after = run.waitingAgain(false, Optional.empty(), "attempt " + run.attempt() + " was dropped before it"
            + " started" + said + "; it does not count as a failure");
        kind = JobEvent.Kind.JOB_WAITING;
        message = "run " + run.runId() + ": " + after.message();
      }
      default -> {
        if (run.state() == RunState.KILLING) {
          return failedAtDeadline(jobs, job, run, now);
        }
        int failures = run.failures() + 1;
        String failed = "attempt " + run.attempt() + " " + update.phase() + said;
        if (failures <= job.definition().retries()) {
          Instant retryAt = now.plus(config.backoff(failures));
          after = run.waitingAgain(true, Optional.of(retryAt), failed + "; retry " + failures + " of "
              + job.definition().retries() + " at " + retryAt);
          kind = JobEvent.Kind.JOB_RETRY;
        } else {
          after = run.waitingAgain(true, Optional.empty(), "")
              .ended(RunState.FAILED, now, failed + "; no retries left (" + job.definition().retries() + ")");
          kind = JobEvent.Kind.JOB_FAILED;
        }
        message = "run " + run.runId() + ": " + after.message();
      }
    }
    return new Step(with(jobs, job.withCurrent(after)), List.of(),
        List.of(new JobEvent(job.id(), kind, message, Optional.of(after))));
  }

  /** Fires schedules, enforces deadlines, places waiting runs on the offers and declines the offers left over. */
  public Step plan(Map<String, Job> jobs, List<OfferView> offers, ClusterCapacity cluster, Instant now) {
    Map<String, Job> planned = new HashMap<>(jobs);
    List<JobDecision> decisions = new ArrayList<>();
    List<JobEvent> events = new ArrayList<>();
    Map<String, Resources> left = new LinkedHashMap<>();
    // reserved resources count too: the allocator offers a role only its own reservations
    offers.forEach(offer -> left.put(offer.offerId(), offer.total().scalars()));
    Map<String, OfferView> byId = new HashMap<>();
    offers.forEach(offer -> byId.put(offer.offerId(), offer));
    Set<String> used = new HashSet<>();
    for (Job original : new TreeMap<>(jobs).values()) {
      Job job = fire(original, now, events);
      job = enforceDeadline(job, now, decisions, events);
      Optional<Run> ready = job.current().filter(run -> run.readyToLaunch(now));
      if (ready.isPresent()) {
        Resources need = job.definition().resources();
        Optional<String> offerId = left.entrySet().stream().filter(e -> e.getValue().containsAll(need))
            .map(Map.Entry::getKey).findFirst();
        if (offerId.isPresent()) {
          OfferView offer = byId.get(offerId.get());
          Run launched = ready.get().launched(offer.agentId(), now);
          decisions.add(new JobDecision.Launch(offer.offerId(), offer.agentId(), launched.taskId().orElseThrow(),
              job.definition()));
          left.put(offer.offerId(), left.get(offer.offerId()).minus(need));
          used.add(offer.offerId());
          job = job.withCurrent(launched);
        } else {
          job = explainWaiting(job, offers, left, cluster, now, events);
        }
      }
      planned.put(job.id(), job);
    }
    Duration refuse = wantsOffers(planned, now) ? config.refuseWhileWaiting() : config.refuseIdle();
    offers.stream().filter(offer -> !used.contains(offer.offerId()))
        .forEach(offer -> decisions.add(new JobDecision.Decline(offer.offerId(), refuse)));
    return new Step(planned, decisions, events);
  }

  /** True while some run could launch now: the framework then wants offers, else it suppresses them. */
  public boolean wantsOffers(Map<String, Job> jobs, Instant now) {
    return jobs.values().stream().anyMatch(job -> job.current().filter(run -> run.readyToLaunch(now)).isPresent());
  }

  /** The next time after {@code now} a plan has something to do without new input: a schedule, a retry or a deadline. */
  public Optional<Instant> wakeUpAt(Map<String, Job> jobs, Instant now) {
    return jobs.values().stream().flatMap(job -> Stream.of(job.nextRunAt(),
            job.current().flatMap(Run::retryAt),
            job.current().filter(run -> run.state() != RunState.KILLING).flatMap(run -> deadlineOf(job, run))))
        .flatMap(Optional::stream).filter(time -> time.isAfter(now)).min(Instant::compareTo);
  }

  private Job fire(Job job, Instant now, List<JobEvent> events) {
    if (job.nextRunAt().isEmpty() || job.nextRunAt().get().isAfter(now)) {
      return job;
    }
    Instant due = job.nextRunAt().get();
    Optional<Instant> next = job.definition().parsedSchedule().flatMap(schedule -> schedule.nextAfter(now));
    if (job.current().isPresent()) {
      Run busy = job.current().get();
      events.add(new JobEvent(job.id(), JobEvent.Kind.JOB_SKIPPED, "the run due at " + due + " is skipped: run "
          + busy.runId() + " is still " + busy.state(), Optional.of(busy)));
      return job.withNextRunAt(next);
    }
    return job.withNextRunAt(next).withNewRun(config.history());
  }

  private Job enforceDeadline(Job job, Instant now, List<JobDecision> decisions, List<JobEvent> events) {
    Optional<Run> current = job.current();
    if (current.isEmpty() || current.get().state() == RunState.KILLING) {
      return job;
    }
    Run run = current.get();
    Optional<Instant> deadline = deadlineOf(job, run);
    if (deadline.isEmpty() || deadline.get().isAfter(now)) {
      return job;
    }
    String exceeded = "deadline of " + job.definition().deadline().orElseThrow().toSeconds() + " s exceeded";
    if (run.state().onAgent()) {
      Run killing = run.inState(RunState.KILLING, exceeded + "; killing attempt " + run.attempt());
      decisions.add(new JobDecision.Kill(run.agentId().orElseThrow(), run.taskId().orElseThrow(), exceeded));
      events.add(new JobEvent(job.id(), JobEvent.Kind.JOB_DEADLINE_EXCEEDED, "run " + run.runId() + ": "
          + killing.message(), Optional.of(killing)));
      return job.withCurrent(killing);
    }
    Run failed = run.ended(RunState.FAILED, now, exceeded + " while waiting to retry");
    events.add(new JobEvent(job.id(), JobEvent.Kind.JOB_DEADLINE_EXCEEDED, "run " + run.runId() + ": "
        + failed.message(), Optional.of(failed)));
    events.add(new JobEvent(job.id(), JobEvent.Kind.JOB_FAILED, "run " + run.runId() + " failed: "
        + failed.message(), Optional.of(failed)));
    return job.withCurrent(failed);
  }

  private Step failedAtDeadline(Map<String, Job> jobs, Job job, Run run, Instant now) {
    Run failed = run.ended(RunState.FAILED, now, "deadline of " + job.definition().deadline().orElseThrow().toSeconds()
        + " s exceeded; attempt " + run.attempt() + " was killed");
    return new Step(with(jobs, job.withCurrent(failed)), List.of(), List.of(new JobEvent(job.id(),
        JobEvent.Kind.JOB_FAILED, "run " + run.runId() + " failed: " + failed.message(), Optional.of(failed))));
  }

  /**
   * Says why a ready run got no place, in order of what explains most: the allocator holds the role back;
   * offers came but none fits; or none came yet. Only a changed reason becomes an event.
   */
  private Job explainWaiting(Job job, List<OfferView> offers, Map<String, Resources> left, ClusterCapacity cluster,
      Instant now, List<JobEvent> events) {
    Resources need = job.definition().resources();
    Optional<String> heldBack = cluster.heldBack(role, now).map(ClusterCapacity.HeldBack::message);
    String reason;
    if (heldBack.isPresent()) {
      reason = heldBack.get();
    } else if (!offers.isEmpty()) {
      reason = NO_FIT + need.describe() + " (the largest left had " + left.values().stream()
          .max((a, b) -> Double.compare(a.cpus(), b.cpus())).orElseThrow().describe() + ")";
    } else if (job.waiting().filter(r -> r.startsWith(NO_FIT)).isPresent()) {
      reason = job.waiting().get();
    } else {
      reason = "waiting for an offer in role " + role + " for " + need.describe();
    }
    if (job.waiting().filter(reason::equals).isEmpty()) {
      events.add(new JobEvent(job.id(), JobEvent.Kind.JOB_WAITING, "run " + job.current().orElseThrow().runId() + " "
          + reason, job.current()));
    }
    return job.withWaiting(Optional.of(reason));
  }

  private static Optional<Instant> deadlineOf(Job job, Run run) {
    return job.definition().deadline().flatMap(deadline -> run.startedAt().map(start -> start.plus(deadline)));
  }

  private static Map<String, Job> with(Map<String, Job> jobs, Job job) {
    Map<String, Job> copy = new HashMap<>(jobs);
    copy.put(job.id(), job);
    return copy;
  }
}
