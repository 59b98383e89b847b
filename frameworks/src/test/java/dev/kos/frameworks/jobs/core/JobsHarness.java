package dev.kos.frameworks.jobs.core;

import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import dev.kos.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Drives {@link JobsCore} as the shell does, without a bus (Nomad's scheduler harness): submit jobs, make
 * offers, report task states, move time; every step's decisions and events are kept for assertions.
 */
final class JobsHarness {

  static final Instant T0 = Instant.parse("2026-03-02T12:03:00Z");

  final JobsCore core;
  Map<String, Job> jobs = Map.of();
  Instant now = T0;
  ClusterCapacity cluster = ClusterCapacity.empty(Duration.ofMinutes(1));
  final List<JobDecision> decisions = new ArrayList<>();
  final List<JobEvent> events = new ArrayList<>();
  private int offers;

  JobsHarness() {
    this(JobsConfig.DEFAULT);
  }

  JobsHarness(JobsConfig config) {
    core = new JobsCore(config, "jobs");
  }

  Submitted submit(Jobs job) {
    Submitted outcome = core.submit(jobs, job.build(), now);
    if (outcome instanceof Submitted.Accepted accepted) {
      take(accepted.step());
    }
    return outcome;
  }

  /** Plans with one offer per given agent, each of {@code cpus} cores and 1 GiB. */
  Step planWithOffers(double cpus, String... agents) {
    List<OfferView> views = new ArrayList<>();
    for (String agent : agents) {
      views.add(OfferView.of("o" + (++offers), agent, Resources.of(cpus, 1024, 1024)));
    }
    return take(core.plan(jobs, views, cluster, now));
  }

  Step plan() {
    return take(core.plan(jobs, List.of(), cluster, now));
  }

  Step status(String taskId, TaskState phase) {
    return take(core.afterStatus(jobs, new TaskUpdate(taskId, "a1", phase, ""), now));
  }

  JobsHarness advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  /** Two agents of 10 cpus with {@code usedCpus} held in all, and role jobs' threshold. */
  JobsHarness utilization(double usedCpus, double threshold) {
    cluster = cluster.withAgent(new AgentLoad("a1", Resources.of(10, 1000, 0), Resources.of(usedCpus / 2, 0, 0), now))
        .withAgent(new AgentLoad("a2", Resources.of(10, 1000, 0), Resources.of(usedCpus / 2, 0, 0), now))
        .withRole(new RoleLimit("jobs", -1, OptionalDouble.of(threshold)));
    return this;
  }

  Job job(String id) {
    return jobs.get(id);
  }

  Run current(String id) {
    return jobs.get(id).current().orElseThrow();
  }

  List<JobEvent.Kind> kinds() {
    return events.stream().map(JobEvent::kind).toList();
  }

  List<JobDecision.Launch> launches() {
    return decisions.stream().filter(JobDecision.Launch.class::isInstance).map(JobDecision.Launch.class::cast).toList();
  }

  private Step take(Step step) {
    jobs = step.jobs();
    decisions.addAll(step.decisions());
    events.addAll(step.events());
    return step;
  }
}
