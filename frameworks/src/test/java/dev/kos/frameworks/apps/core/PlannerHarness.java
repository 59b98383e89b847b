package dev.kos.frameworks.apps.core;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Nomad's scheduler harness for the apps planner: build a snapshot (apps, agents, instances, offers),
 * plan, and read the decisions as short lines; optionally carry a plan out and feed statuses back, all
 * without side effects. Time moves only when a test moves it.
 */
final class PlannerHarness {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final Map<String, AppDefinition> apps = new TreeMap<>();
  final Map<String, Agent> agents = new LinkedHashMap<>();
  List<Instance> instances = new ArrayList<>();
  final List<PlannerOffer> offers = new ArrayList<>();
  final Set<String> draining = new HashSet<>();
  Instant now = START;
  private int plans;

  PlannerHarness app(AppDefinition app) {
    apps.put(app.id(), app);
    return this;
  }

  PlannerHarness app(Apps app) {
    return app(app.build());
  }

  /** An agent whose hostname is its id, with attributes given as key, value, key, value. */
  PlannerHarness agent(String agentId, String... attributes) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      values.put(attributes[i], attributes[i + 1]);
    }
    agents.put(agentId, new Agent(agentId, agentId, values));
    return this;
  }

  /** Agents a1..aN without attributes. */
  PlannerHarness agents(int count) {
    for (int i = 1; i <= count; i++) {
      agent("a" + i);
    }
    return this;
  }

  PlannerHarness offer(String agentId, double cpus, double mem) {
    return offer(agentId, Resources.of(cpus, mem, 100_000), Ports.range(31000, 31099));
  }

  PlannerHarness offer(String agentId, Resources resources, Ports ports) {
    offers.add(new PlannerOffer("o" + (offers.size() + 1) + "-" + agentId, known(agentId), resources, ports));
    return this;
  }

  /** A big offer from every known agent. */
  PlannerHarness offerAll() {
    agents.keySet().forEach(agentId -> offer(agentId, 64, 65536));
    return this;
  }

  /** A healthy RUNNING instance of the app's current version, launched {@code ageSeconds} before now. */
  PlannerHarness running(String instanceId, String appId, String agentId, int ageSeconds) {
    return instance(instanceId, appId, apps.get(appId).version(), agentId, InstanceState.RUNNING, true, ageSeconds);
  }

  PlannerHarness instance(String instanceId, String appId, String version, String agentId, InstanceState state,
      boolean healthy, int ageSeconds) {
    AppDefinition app = apps.get(appId);
    Optional<Residency> residency = app != null && app.isResident()
        ? Optional.of(new Residency(known(agentId), app.resources(), app.volumes().stream()
            .map(volume -> InstanceVolume.of(volume, instanceId, 0)).toList()))
        : Optional.empty();
    instances.add(new Instance(instanceId, appId, version, known(agentId), 0, state,
        app != null && !app.healthChecks().isEmpty(), healthy, now.minusSeconds(ageSeconds), 0, Optional.empty(),
        residency, List.of()));
    return this;
  }

  /** Marks an instance ended {@code failures} times in a row, last at {@code secondsAgo} before now. */
  PlannerHarness failed(String instanceId, InstanceState state, int failures, int secondsAgo) {
    instances = instances.stream().map(i -> !i.instanceId().equals(instanceId) ? i
        : new Instance(i.instanceId(), i.appId(), i.version(), i.agent(), i.attempt(), state, i.healthChecked(),
            false, i.launchedAt(), failures, Optional.of(now.minusSeconds(secondsAgo)), i.residency(), i.ports()))
        .collect(Collectors.toCollection(ArrayList::new));
    return this;
  }

  PlannerHarness drain(String agentId) {
    draining.add(agentId);
    return this;
  }

  PlannerHarness advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  Plan plan() {
    return new Planner(PlannerConfig.DEFAULT).plan(new Snapshot(apps, instances, offers, now, "p" + ++plans, draining));
  }

  /** Plans, carries the plan out, and forgets the offers. */
  Plan step() {
    Plan plan = plan();
    instances = new ArrayList<>(Instances.afterPlan(instances, plan, now));
    offers.clear();
    return plan;
  }

  PlannerHarness status(String instanceId, InstanceState state, Optional<Boolean> healthy) {
    Instance instance = instances.stream().filter(i -> i.instanceId().equals(instanceId)).findFirst().orElseThrow();
    instances = new ArrayList<>(Instances.afterStatus(instances,
        new TaskReport(instance.taskId(), state, healthy, now)));
    return this;
  }

  private Agent known(String agentId) {
    return agents.computeIfAbsent(agentId, Agent::of);
  }

  /** The decisions as short lines, e.g. {@code launch /web on a1}, {@code kill web-1}, {@code decline o1-a2}. */
  static List<String> describe(Plan plan) {
    return plan.decisions().stream().map(PlannerHarness::describe).toList();
  }

  static String describe(AppDecision decision) {
    if (decision instanceof AppDecision.Launch launch) {
      return "launch " + launch.appId() + " on " + launch.agent().agentId()
          + (launch.reserveAndCreate() ? " with new volumes" : launch.volumes().isEmpty() ? "" : " with its volumes");
    }
    if (decision instanceof AppDecision.Kill kill) {
      return "kill " + kill.instanceId();
    }
    if (decision instanceof AppDecision.Decline decline) {
      return "decline " + decline.offerId() + " for " + decline.refuse().toSeconds() + "s";
    }
    if (decision instanceof AppDecision.Expunge expunge) {
      return "expunge " + expunge.instanceId();
    }
    if (decision instanceof AppDecision.Delayed delayed) {
      return "delay " + delayed.instanceId() + " until +" + Duration.between(START, delayed.until()).toSeconds() + "s";
    }
    if (decision instanceof AppDecision.AwaitingStatus awaiting) {
      return "await " + awaiting.instanceId() + " until +" + Duration.between(START, awaiting.deadline()).toSeconds()
          + "s";
    }
    if (decision instanceof AppDecision.ResidencyAbandoned abandoned) {
      return "abandon " + abandoned.instanceId() + " on " + abandoned.agentId();
    }
    AppDecision.Unplaced unplaced = (AppDecision.Unplaced) decision;
    return "unplaced " + unplaced.appId() + " x" + unplaced.count();
  }

  long liveOrKilling(String appId) {
    return instances.stream().filter(i -> i.appId().equals(appId))
        .filter(i -> i.state().isLive() || i.state() == InstanceState.KILLING).count();
  }

  long healthy(String appId) {
    return instances.stream().filter(i -> i.appId().equals(appId)).filter(Instance::isHealthyAndRunning).count();
  }
}
