package dev.kos.frameworks.apps.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What users watch change, derived from the state before and after a step (Aurora's side effects as
 * data): instance transitions and the progress of each app's deployment. Pure; the shell publishes
 * the events on the status topic. Every event carries the app's tallies at that moment, so a reader
 * of the topic alone can check, e.g., that a rolling upgrade never went below its healthy minimum.
 */
public final class StatusChanges {

  /** One change, in the words of the {@code StatusEvent} schema. */
  public record Event(String appId, String kind, Optional<String> deploymentId, Optional<String> instanceId,
      Optional<String> taskId, Optional<String> agentId, Map<String, Integer> counts, String message) {

    public Event {
      counts = Map.copyOf(counts);
    }
  }

  /** The events of a step, and the deployments still in progress after it (app id to deployment id). */
  public record Result(List<Event> events, Map<String, String> deployments) {

    public Result {
      events = List.copyOf(events);
      deployments = Map.copyOf(deployments);
    }
  }

  private StatusChanges() {
  }

  /**
   * A command was accepted: its deployment starts, and one still in progress for the same app is
   * superseded (it never finishes, so it is reported failed).
   */
  public static Result started(Map<String, AppDefinition> apps, List<Instance> instances,
      Map<String, String> deployments, String appId, String deploymentId, String what) {
    List<Event> events = new ArrayList<>();
    Map<String, Integer> counts = counts(apps.get(appId), appId, instances);
    String previous = deployments.get(appId);
    if (previous != null && !previous.equals(deploymentId)) {
      events.add(event(appId, "DEPLOYMENT_FAILED", previous, counts,
          "deployment " + previous + " of " + appId + " was superseded by " + deploymentId));
    }
    events.add(event(appId, "DEPLOYMENT_STARTED", deploymentId, counts,
        "deployment " + deploymentId + " of " + appId + " started: " + what));
    Map<String, String> next = new HashMap<>(deployments);
    next.put(appId, deploymentId);
    return new Result(events, next);
  }

  /** The changes between two states of the instances, and how far each deployment got. */
  public static Result between(Map<String, AppDefinition> apps, List<Instance> before, List<Instance> after,
      Map<String, String> deployments) {
    Map<String, Instance> previous = before.stream()
        .collect(Collectors.toMap(Instance::instanceId, Function.identity(), (a, b) -> b));
    Map<String, List<Instance>> afterByApp = byApp(after);
    Map<String, List<Instance>> beforeByApp = byApp(before);
    TreeSet<String> appIds = new TreeSet<>(afterByApp.keySet());
    appIds.addAll(beforeByApp.keySet());
    appIds.addAll(deployments.keySet());
    List<Event> events = new ArrayList<>();
    Map<String, String> inProgress = new HashMap<>(deployments);
    for (String appId : appIds) {
      AppDefinition app = apps.get(appId);
      List<Instance> now = afterByApp.getOrDefault(appId, List.of());
      Map<String, Integer> counts = counts(app, appId, now);
      Optional<String> deployment = Optional.ofNullable(deployments.get(appId));
      for (Instance instance : now) {
        transition(previous.get(instance.instanceId()), instance)
            .ifPresent(change -> events.add(new Event(appId, change.kind(), deployment,
                Optional.of(instance.instanceId()), Optional.of(instance.taskId()),
                Optional.of(instance.agent().agentId()), counts, change.message())));
      }
      Set<String> remaining = now.stream().map(Instance::instanceId).collect(Collectors.toSet());
      beforeByApp.getOrDefault(appId, List.of()).stream()
          .filter(gone -> gone.state() == InstanceState.KILLING && !remaining.contains(gone.instanceId()))
          .forEach(gone -> events.add(new Event(appId, "INSTANCE_KILLED", deployment,
              Optional.of(gone.instanceId()), Optional.of(gone.taskId()), Optional.of(gone.agent().agentId()), counts,
              "instance " + gone.instanceId() + " of " + appId + " (task " + gone.taskId() + " on "
                  + gone.agent().agentId() + ") ended as asked")));
      if (deployment.isEmpty()) {
        continue;
      }
      if (converged(app, now)) {
        inProgress.remove(appId);
        events.add(event(appId, "DEPLOYMENT_FINISHED", deployment.get(), counts, "deployment " + deployment.get()
            + " of " + appId + " finished: " + describe(counts)));
        if (app == null) {
          events.add(event(appId, "APP_REMOVED", deployment.get(), counts, "app " + appId
              + " is removed; none of its instances is left"));
        }
      } else if (!counts.equals(counts(app, appId, beforeByApp.getOrDefault(appId, List.of())))) {
        events.add(event(appId, "DEPLOYMENT_STEP", deployment.get(), counts, "deployment " + deployment.get()
            + " of " + appId + ": " + describe(counts)));
      }
    }
    return new Result(events, inProgress);
  }

  /**
   * What a plan says that users should hear: instances that no offer took (when the reason changed
   * from {@code unplacedBefore}, app id to message), and stateful instances given up on their lost agent.
   */
  public static List<Event> ofPlan(Plan plan, Map<String, String> unplacedBefore, Map<String, AppDefinition> apps,
      List<Instance> instances, Map<String, String> deployments) {
    List<Event> events = new ArrayList<>();
    for (AppDecision decision : plan.decisions()) {
      if (decision instanceof AppDecision.Unplaced unplaced && changed(unplaced, unplacedBefore)) {
        events.add(new Event(unplaced.appId(), "INSTANCE_UNPLACED",
            Optional.ofNullable(deployments.get(unplaced.appId())), Optional.empty(), Optional.empty(),
            Optional.empty(), counts(apps.get(unplaced.appId()), unplaced.appId(), instances), unplaced.message()));
      } else if (decision instanceof AppDecision.ResidencyAbandoned abandoned) {
        events.add(new Event(abandoned.appId(), "INSTANCE_RELOCATED",
            Optional.ofNullable(deployments.get(abandoned.appId())), Optional.of(abandoned.instanceId()),
            Optional.empty(), Optional.of(abandoned.agentId()),
            counts(apps.get(abandoned.appId()), abandoned.appId(), instances), abandoned.reason()));
      }
    }
    return events;
  }

  /**
   * Whether an unplaced report says something new. A plan without offers knows only that it had
   * none, which adds nothing to a reason already given.
   */
  private static boolean changed(AppDecision.Unplaced unplaced, Map<String, String> before) {
    String previous = before.get(unplaced.appId());
    return previous == null || unplaced.offers() > 0 && !unplaced.message().equals(previous);
  }

  /** Wanted, live, running and healthy instances of one app; wanted is 0 for a removed app. */
  public static Map<String, Integer> counts(AppDefinition app, String appId, List<Instance> instances) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<Instance> mine = instances.stream().filter(i -> i.appId().equals(appId)).toList();
    counts.put("wanted", app == null ? 0 : app.instances());
    counts.put("live", (int) mine.stream().filter(i -> i.state().isLive()).count());
    counts.put("running", (int) mine.stream().filter(i -> i.state() == InstanceState.RUNNING).count());
    counts.put("healthy", (int) mine.stream().filter(Instance::isHealthyAndRunning).count());
    return counts;
  }

  /**
   * Done when exactly the wanted number of instances run the current version healthily and nothing
   * else is alive or on its way out; a removed app is done when none of its instances is left alive.
   */
  private static boolean converged(AppDefinition app, List<Instance> instances) {
    boolean nothingLeaving = instances.stream().noneMatch(i -> i.state() == InstanceState.KILLING);
    if (app == null) {
      return nothingLeaving && instances.stream().noneMatch(i -> i.state().isLive());
    }
    List<Instance> live = instances.stream().filter(i -> i.state().isLive()).toList();
    return nothingLeaving && live.size() == app.instances()
        && live.stream().allMatch(i -> i.version().equals(app.version()) && i.isHealthyAndRunning());
  }

  private record Change(String kind, String message) {
  }

  private static Optional<Change> transition(Instance before, Instance after) {
    String who = "instance " + after.instanceId() + " of " + after.appId() + " (task " + after.taskId() + " on "
        + after.agent().agentId() + ")";
    boolean sameTask = before != null && before.attempt() == after.attempt();
    if (!sameTask) {
      return Optional.of(new Change("INSTANCE_LAUNCHED", who + " launched, version " + after.version()));
    }
    if (before.state() == after.state()) {
      if (after.state() == InstanceState.RUNNING && after.healthChecked() && before.healthy() != after.healthy()) {
        return Optional.of(after.healthy() ? new Change("INSTANCE_HEALTHY", who + " is healthy")
            : new Change("INSTANCE_UNHEALTHY", who + " failed its health check"));
      }
      return Optional.empty();
    }
    return switch (after.state()) {
      case RUNNING -> Optional.of(after.isHealthyAndRunning() && after.healthChecked()
          ? new Change("INSTANCE_HEALTHY", who + " is running and healthy")
          : new Change("INSTANCE_RUNNING", who + " is running"));
      case KILLED, FINISHED -> Optional.of(new Change("INSTANCE_KILLED", who + " ended: " + after.state()));
      case FAILED, ERROR, DROPPED -> Optional.of(new Change("INSTANCE_FAILED", who + " failed: " + after.state()
          + (after.failures() > 1 ? ", " + after.failures() + " times in a row" : "")));
      case LOST -> Optional.of(new Change("INSTANCE_LOST", who + " is lost with its agent"));
      case STAGING, STARTING, KILLING -> Optional.empty();
    };
  }

  private static Event event(String appId, String kind, String deploymentId, Map<String, Integer> counts,
      String message) {
    return new Event(appId, kind, Optional.of(deploymentId), Optional.empty(), Optional.empty(), Optional.empty(),
        counts, message);
  }

  private static Map<String, List<Instance>> byApp(List<Instance> instances) {
    return instances.stream().collect(Collectors.groupingBy(Instance::appId));
  }

  private static String describe(Map<String, Integer> counts) {
    return counts.get("healthy") + " of " + counts.get("wanted") + " healthy, " + counts.get("running")
        + " running, " + counts.get("live") + " live";
  }
}
