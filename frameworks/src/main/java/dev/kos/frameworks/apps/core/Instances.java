package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instance book's transitions (Aurora's task state machine, without side effects): what the instances
 * become once a plan is carried out, and once an agent reports on a task. Pure; the shell keeps the result.
 */
public final class Instances {

  private Instances() {
  }

  /**
   * Whether a report says a task of this framework lives that no instance has as its task: one an instance of the
   * framework launched after a newer instance had read kos.apps (before the older one saw it was replaced), or an
   * earlier attempt of an instance that moved on. Nothing would ever stop it, so the shell kills it (as Marathon
   * kills the tasks it does not know). A report of an end needs nothing done.
   */
  public static boolean stray(List<Instance> instances, TaskReport update) {
    return !update.state().isTerminal() && instances.stream().noneMatch(i -> i.taskId().equals(update.taskId()));
  }

  /** The instances after the shell carried out {@code plan} at {@code now}. */
  public static List<Instance> afterPlan(List<Instance> instances, Plan plan, Instant now) {
    Map<String, Instance> book = index(instances);
    for (AppDecision decision : plan.decisions()) {
      if (decision instanceof AppDecision.Launch launch) {
        book.put(launch.instanceId(), launched(book.get(launch.instanceId()), launch, now));
      } else if (decision instanceof AppDecision.Kill kill) {
        book.computeIfPresent(kill.instanceId(), (id, instance) -> instance.withState(InstanceState.KILLING, false));
      } else if (decision instanceof AppDecision.Expunge expunge) {
        book.remove(expunge.instanceId());
      } else if (decision instanceof AppDecision.ResidencyAbandoned abandoned) {
        book.computeIfPresent(abandoned.instanceId(), (id, instance) -> instance.withoutResidency());
      }
    }
    return List.copyOf(book.values());
  }

  /**
   * The instances after an agent's report. A report on an earlier attempt is ignored. An instance the
   * framework killed is forgotten once it ends, unless it is stateful (it keeps its volumes and ends
   * KILLED, to be relaunched or expunged). Any other end counts as a failure for the backoff. A report that
   * does not move the task forward ({@link InstanceState#movesForwardFrom}) is stale and ignored, and so is
   * "kos has no record" of a task still STAGING (its launch may be in flight; the planner's staging timeout
   * ends it if no agent ever reports on it).
   */
  public static List<Instance> afterStatus(List<Instance> instances, TaskReport update) {
    Map<String, Instance> book = index(instances);
    Instance instance = book.get(Instance.instanceIdOf(update.taskId()));
    if (instance == null || !instance.taskId().equals(update.taskId()) || instance.state().isTerminal()) {
      return instances;
    }
    if (instance.state() == InstanceState.KILLING) {
      if (update.state().isTerminal()) {
        if (instance.residency().isPresent()) {
          book.put(instance.instanceId(), instance.withState(InstanceState.KILLED, false));
        } else {
          book.remove(instance.instanceId());
        }
      }
    } else if (!update.state().movesForwardFrom(instance.state())
        || update.unknownToKos() && instance.state() == InstanceState.STAGING) {
      return instances;
    } else if (update.state().isTerminal()) {
      book.put(instance.instanceId(), instance.failed(update.state(), update.at()));
    } else {
      boolean healthy = update.state() == InstanceState.RUNNING
          && (instance.healthChecked() ? update.healthy().orElse(false) : true);
      book.put(instance.instanceId(), instance.withState(update.state(), healthy));
    }
    return List.copyOf(book.values());
  }

  private static Instance launched(Instance previous, AppDecision.Launch launch, Instant now) {
    Optional<Residency> residency = launch.volumes().isEmpty() ? Optional.empty()
        : Optional.of(new Residency(launch.agent(), launch.resources(), launch.volumes()));
    int failures = previous == null ? 0 : previous.failures();
    Optional<Instant> failedAt = previous == null ? Optional.empty() : previous.failedAt();
    return new Instance(launch.instanceId(), launch.appId(), launch.version(), launch.agent(), launch.attempt(),
        InstanceState.STAGING, launch.healthChecked(), false, now, failures, failedAt, residency, launch.ports());
  }

  private static Map<String, Instance> index(List<Instance> instances) {
    Map<String, Instance> book = new LinkedHashMap<>();
    instances.forEach(instance -> book.put(instance.instanceId(), instance));
    return book;
  }
}
